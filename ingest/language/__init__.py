"""Vietnamese as the documents write it: normalization, tokens, sentences, structure, document types, citations, legal references."""
