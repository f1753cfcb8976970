"""中文 for complaint codes (core.labels registry)."""
from complaints.models import Channel, Complaint, Entry

LABELS = {
    "complaint_channel": dict(Channel.choices),
    "complaint_state": dict(Complaint.State.choices),
    "complaint_entry": dict(Entry.Kind.choices),
}
