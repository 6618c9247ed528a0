"""SQLAlchemy models, the store and its parts, Alembic migrations: the only package that imports
sqlalchemy."""
