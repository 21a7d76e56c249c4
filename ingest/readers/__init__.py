"""Reading files into Documents: formats, legacy encodings, printed headers, the Pháp điển, scraped pages."""
