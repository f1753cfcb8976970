"""Settings from the environment (12-factor) with safe local defaults.

Variables: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, REDIS_URL,
GETPOWER_DATA_DIR, GETPOWER_AUDIT_KEY, GETPOWER_SM2_PRIVATE_KEY, GETPOWER_SM2_PUBLIC_KEY,
GETPOWER_PII_KEY, GETPOWER_INVOICE_TAX_RATE, GETPOWER_HUEY_IMMEDIATE, GETPOWER_HTTPS, GETPOWER_CSP, LOG_LEVEL.
"""
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from getpower import localkeys

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GETPOWER_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# Keys come from the environment; a machine without them (a fresh `make run`) gets random
# ones generated once into DATA_DIR/local-keys.json, never defaults from this repository.
SECRET_KEY = localkeys.setting("SECRET_KEY", DATA_DIR)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Key for the SM3 HMAC chain of the event log: kept apart from the database so that
# someone with write access to the tables cannot re-forge the chain.
AUDIT_KEY = localkeys.setting("GETPOWER_AUDIT_KEY", DATA_DIR)
# Where `audit anchor` (and its periodic job) writes the chain head, outside the database:
# "file:/path" (default, the data directory) or "http(s)://witness-host/..." (`audit witness`).
ANCHOR_STORE = os.environ.get("GETPOWER_ANCHOR_STORE", f"file:{DATA_DIR / 'anchors.jsonl'}")
# SM4-GCM key for personal data at rest (ID numbers, phone numbers of applicants).
PII_KEY = localkeys.setting("GETPOWER_PII_KEY", DATA_DIR)
# The platform's SM2 key pair (hex; public key is the uncompressed x||y, 128 hex digits) that
# signs the SM3 hash of every supply contract.
SM2_PRIVATE_KEY = localkeys.setting("GETPOWER_SM2_PRIVATE_KEY", DATA_DIR)
SM2_PUBLIC_KEY = localkeys.setting("GETPOWER_SM2_PUBLIC_KEY", DATA_DIR)
# The password `bootstrap` once gave every new administrator; refused outside DEBUG.
PUBLISHED_ADMIN_PASSWORDS = ("getpower-admin",)

# Behind TLS (every deployment): HSTS, secure cookies, redirect to https. `make run` serves
# plain http on the loopback address and turns it off with GETPOWER_HTTPS=0.
HTTPS = env_bool("GETPOWER_HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("GETPOWER_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("GETPOWER_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything is served from this origin (no CDN); htmx and the charts are local static files.
CONTENT_SECURITY_POLICY = os.environ.get(
    "GETPOWER_CSP",
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
)
# 投诉 time limit. No seed gives one, so it is an operating setting with its reason, until a
# policy file states a limit (then the policy's number is used instead).
COMPLAINT_LIMIT = {
    "value": int(os.environ.get("GETPOWER_COMPLAINT_LIMIT_WORKDAYS", "5")),
    "unit": "workday",
    "reason": "三份行动方案均未规定投诉办理时限；系统设置为受理后5个工作日内答复（与供电企业公开的服务承诺同一量级），"
              "政策文件给出时限后以政策为准。",
}
# Which voltage to suggest where a region's policy states no LV connection capacity (e.g. Shaanxi,
# Zaozhuang before 2021): the national rule, said so on the form. Never a refusal: the supply
# scheme reply decides the voltage in the end.
LV_CONNECTION_FALLBACK = {
    "value": float(os.environ.get("GETPOWER_LV_FALLBACK_KW", "100")),
    "unit": "kW",
    "reason": "国家《供电营业规则》：用户用电设备容量在100千瓦及以下的，可采用低压三相四线制供电",
}

# The reference payment provider's own ledger (a real gateway keeps it on its side) and the
# latency it plays, in seconds (0 = none).
LOCAL_PAY_LEDGER = os.environ.get("GETPOWER_LOCAL_PAY_LEDGER", str(DATA_DIR / "local-pay-ledger.jsonl"))
LOCAL_PAY_REQUEST_DELAY = float(os.environ.get("GETPOWER_LOCAL_PAY_REQUEST_DELAY", "0"))
LOCAL_PAY_ANSWER_DELAY = float(os.environ.get("GETPOWER_LOCAL_PAY_ANSWER_DELAY", "0"))
# A payment still pending this long after it started is settled by asking the provider.
PAYMENT_PENDING_TIMEOUT_MINUTES = int(os.environ.get("GETPOWER_PAYMENT_PENDING_TIMEOUT_MINUTES", "15"))
# VAT rate printed on electronic invoices for connection fees (a rate, not a percentage).
INVOICE_TAX_RATE = os.environ.get("GETPOWER_INVOICE_TAX_RATE", "0.13")
# Hot API reads answered from a cache keyed by the event log's head (core/readcache.py);
# off only to measure what a read costs without it (bench/api.py --cold).
READ_CACHE = env_bool("GETPOWER_READ_CACHE", True)

INSTALLED_APPS = [
    # First: its `changepassword` (which writes the event) replaces django.contrib.auth's.
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "axes",
    "core",
    "workdays",
    "policies",
    "applications",
    "customers",
    "contracts",
    "payments",
    "appointments",
    "monitoring",
    "complaints",
    "outages",
    "approvals",
    "sharing",
    "ledger",
    "disclosure",
]

# The largest request body accepted at all (the largest upload, a signed contract of 20 MB, plus
# its form fields); JSON bodies stop at Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
GETPOWER_MAX_REQUEST_BYTES = 21 * 1024 * 1024

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestSizeLimit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.DomainErrorPages",
    "core.security.SecurityHeadersMiddleware",
    # Last, as django-axes asks: turns a lock-out into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "getpower.urls"
WSGI_APPLICATION = "getpower.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "getpower" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.message_centre",
                "core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'getpower.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout so the web process and the huey worker can share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
         # BEGIN IMMEDIATE: writers queue on the busy timeout instead of failing on lock upgrade.
         "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# django-axes first: a locked-out account or address is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # 验证码登录 (customers/backends.py): behind axes too, so a locked account stays locked.
    "customers.backends.OneTimeCodeBackend",
]
# Login throttling on /me/login/ and /admin/login/: 5 failures lock the account, and 5 lock the
# address, for 15 minutes; either alone is enough (a list of single parameters).
AXES_FAILURE_LIMIT = int(os.environ.get("GETPOWER_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("GETPOWER_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.locked_out"
# Behind a reverse proxy the client address is the proxy's unless it is trusted to say otherwise.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("GETPOWER_PROXY_COUNT", "0")) or None
# Axes would log every attempt with the typed identifier, which may be a phone number.
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Deadlines are calendar dates in China; all server time is Asia/Shanghai.
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The project package is not an app: its site-wide static files (site.css) are found here.
STATICFILES_DIRS = [BASE_DIR / "getpower" / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
LOGIN_URL = "/me/login/"
LOGIN_REDIRECT_URL = "/"

# `migrate` leaves the official calendar and the bundled policies stored (tests start empty).
LOAD_DATA_ON_MIGRATE = env_bool("GETPOWER_LOAD_DATA_ON_MIGRATE", True)

# Policy data files (one per seed plus the national root).
POLICY_DIR = Path(os.environ.get("GETPOWER_POLICY_DIR", BASE_DIR / "policies" / "data"))

# Messages (core.outbox, core.channels). People get in-app messages always, plus this channel:
# "console" writes to the log (development), "sms" posts to the gateway below, "email" uses EMAIL_*.
NOTIFY_CHANNEL = os.environ.get("GETPOWER_NOTIFY_CHANNEL", "console")
SMS_GATEWAY_URL = os.environ.get("GETPOWER_SMS_URL", "")
SMS_GATEWAY_KEY = os.environ.get("GETPOWER_SMS_KEY", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("GETPOWER_SMS_TIMEOUT", "10"))
WEBHOOK_SECRET = os.environ.get("GETPOWER_WEBHOOK_SECRET", SECRET_KEY)
WEBHOOK_TIMEOUT = float(os.environ.get("GETPOWER_WEBHOOK_TIMEOUT", "10"))
EMAIL_MESSAGE_ID_DOMAIN = os.environ.get("GETPOWER_EMAIL_DOMAIN", "getpower.local")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "getpower <noreply@getpower.local>")
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
else:
    # No relay configured: mail is written to the log instead of being lost in a refused connection.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Delivery: after OUTBOX_MAX_ATTEMPTS failures a message is dead (admin list); the wait between
# attempts doubles from OUTBOX_BACKOFF_SECONDS up to OUTBOX_BACKOFF_MAX_SECONDS. A worker's claim
# on a message lasts OUTBOX_LEASE_SECONDS (longer than any channel timeout).
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("GETPOWER_OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_BACKOFF_SECONDS = int(os.environ.get("GETPOWER_OUTBOX_BACKOFF_SECONDS", "30"))
OUTBOX_BACKOFF_MAX_SECONDS = int(os.environ.get("GETPOWER_OUTBOX_BACKOFF_MAX_SECONDS", str(6 * 3600)))
OUTBOX_LEASE_SECONDS = int(os.environ.get("GETPOWER_OUTBOX_LEASE_SECONDS", "120"))

REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY_IMMEDIATE = env_bool("GETPOWER_HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "getpower",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "getpower",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Government data sharing (sharing/): where the connectors fetch e-licences and project data, how
# long they wait and how often they retry (back-off doubles from SHARING_BACKOFF_SECONDS), and the
# key the reference service signs with (its public half verifies every answer).
SHARING_URL = os.environ.get("GETPOWER_SHARING_URL", "http://127.0.0.1:8108")
SHARING_TIMEOUT = float(os.environ.get("GETPOWER_SHARING_TIMEOUT", "3"))
SHARING_RETRIES = int(os.environ.get("GETPOWER_SHARING_RETRIES", "3"))
SHARING_BACKOFF_SECONDS = float(os.environ.get("GETPOWER_SHARING_BACKOFF_SECONDS", "0.5"))
SHARING_SIGNING_SEED = os.environ.get("GETPOWER_SHARING_SIGNING_SEED", "getpower-local-sharing-reference")
# 水电气暖联办: the water, gas and heating companies' endpoints a joint application is forwarded to.
JOINT_UTILITY_ENDPOINTS = {
    "water": os.environ.get("GETPOWER_JOINT_WATER_URL", ""),
    "gas": os.environ.get("GETPOWER_JOINT_GAS_URL", ""),
    "heating": os.environ.get("GETPOWER_JOINT_HEATING_URL", ""),
}
