"""SQLAlchemy models, the store facade and Alembic migrations. The only package that imports sqlalchemy."""
