"""The index: generations in Chroma, what they derive, BM25 and lexical matching, embeddings, the reranker."""
