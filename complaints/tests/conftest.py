from applications.tests.conftest import policies, travel, zj, zz  # noqa: F401  (fixtures)
