"""The dashboard's building blocks: state and caching, figures, tiles, tables, formatting."""
