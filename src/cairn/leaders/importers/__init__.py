"""Files leaders bring in: outside test scores (``scores``)."""
