"""Who is who: administrative divisions, organisations (utilities, departments, the
regulator) in trees, users, and their role memberships."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from accounts.roles import role_choices


class Division(models.Model):
    """行政区划: province → city → county. Territory, independent of who serves it:
    one county can be served by several utilities (provincial, 地方电力, 增量配电)."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "区县"

    code = models.CharField(max_length=12, unique=True, help_text="行政区划代码 or a stable slug")
    name = models.CharField(max_length=64)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    policy_region = models.CharField(max_length=32, help_text="policy region code, e.g. shaanxi")
    # Reliability targets differ by city group (e.g. 西安 vs other cities); policy data names the groups.
    city_group = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True) | Q(parent__isnull=False),
                name="division_parent_unless_province",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors_and_self(self) -> list["Division"]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Organisation(models.Model):
    class Kind(models.TextChoices):
        UTILITY = "utility", "供电企业"  # a utility's own node: province, city or county company
        GOV_DEPARTMENT = "gov_department", "政府部门"
        ENERGY_BUREAU = "energy_bureau", "能源主管部门"
        REGULATOR = "regulator", "能源监管机构"

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="organisations")
    # Government departments: 发改/能源局, 自然资源, 住建, 交通/公路, 城管, 园林, 公安交警, 行政审批.
    department = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def utility_root(self) -> "Organisation":
        """The top utility node (e.g. 国网陕西 or 陕西地电) this organisation belongs to."""
        node = self
        while node.parent is not None and node.parent.kind == self.Kind.UTILITY:
            node = node.parent
        return node


class User(AbstractUser):
    phone = models.CharField(max_length=20, blank=True, default="")
    display_name = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="user_phone_unique"),
        ]

    def __str__(self) -> str:
        # What pages print for `{{ user }}`: the person's name, never the login.
        from core.labels import person

        return person(self)

    @property
    def roles(self) -> set[str]:
        if not hasattr(self, "_roles_cache"):
            from accounts.access import memberships

            memberships(self)  # reads the roles with the organisations, once
        return self._roles_cache


class Membership(models.Model):
    """A user holds a role in an organisation; jurisdiction follows the organisation's division."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    # A callable: migrations refer to it, so adding a role needs no migration.
    role = models.CharField(max_length=20, choices=role_choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique"),
            # Only applicants act for themselves; every staff role belongs to an organisation.
            models.CheckConstraint(
                condition=Q(role="applicant") | Q(organisation__isnull=False), name="membership_staff_has_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.organisation or '-'}"


class ApiToken(models.Model):
    """Machine access for the regulator's systems and scripts: `Authorization: Bearer <token>`.
    Only the SHA-256 of the token is stored; the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=64)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Every token ends: a forgotten integration stops working instead of staying open forever.
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")),
                                   name="api_token_expires_after_creation"),
            models.CheckConstraint(condition=models.Q(revoked=False, revoked_at__isnull=True)
                                   | models.Q(revoked=True, revoked_at__isnull=False),
                                   name="api_token_revoked_at_with_revoked"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"
