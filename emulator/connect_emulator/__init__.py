"""A local Amazon Connect API built as an extension of moto."""
