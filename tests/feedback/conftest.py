from tests.customers.conftest import desk  # noqa: F401 - the same small desk
