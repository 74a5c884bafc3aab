"""Editors' annotations: creating and keeping them anchored (`services`), and
exchanging them with other tools (`w3c`: W3C Web Annotation; `exports`:
CoNLL and JSONL)."""
