"""中文 for contract, payment and booking states (core.labels registry)."""
from contracts.models import Contract

LABELS = {"contract_state": dict(Contract.State.choices)}
