"""The production smoke tests: run by script/smoke against a real `sendhub serve` and `sendhub db_worker`
with production settings on a fresh PostgreSQL database (conftest.py skips this folder otherwise)."""
