from applications.tests.conftest import policies, travel, zz  # noqa: F401 (fixtures)
