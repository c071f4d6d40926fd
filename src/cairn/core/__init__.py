"""Project-wide pieces that belong to no single domain: health check, base templates, static assets."""
