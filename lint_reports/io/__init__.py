"""The outside world: the files a run finds (walk), bytes read without surprises
(safeio), .docx (docx), one load_document, and untrusted text shown safely (escape)."""
