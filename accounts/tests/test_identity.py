from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from accounts.identity import (
    ID_CHECK,
    USCC_CHARSET,
    id_check_char,
    id_number_problem,
    uscc_check_char,
    uscc_problem,
)

# Published examples: a real business licence code and the GB 11643 sample number.
KNOWN_USCC = "91350100M000100Y43"
KNOWN_ID = "11010519491231002X"


def test_known_codes_are_valid():
    assert uscc_problem(KNOWN_USCC) is None
    assert id_number_problem(KNOWN_ID) is None


def test_errors_say_what_is_wrong():
    assert "18" in uscc_problem("9135")
    assert "校验" in uscc_problem(KNOWN_USCC[:-1] + ("0" if KNOWN_USCC[-1] != "0" else "1"))
    assert "非法" in uscc_problem("91350100M000100YI3")  # I is not in the GB 32100 charset
    assert "出生日期" in id_number_problem("110105194902310021")
    assert "出生日期" in id_number_problem("110105209912310021", today=date(2026, 1, 1))


uscc_body = st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17)


@given(uscc_body, st.integers(min_value=0, max_value=16), st.sampled_from(USCC_CHARSET))
def test_uscc_any_single_substitution_is_caught(body, position, replacement):
    code = body + uscc_check_char(body)
    assert uscc_problem(code) is None
    if code[position] != replacement:
        tampered = code[:position] + replacement + code[position + 1:]
        assert uscc_problem(tampered) is not None


id_body = st.tuples(
    st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
    st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)),
    st.from_regex(r"[0-9]{3}", fullmatch=True),
).map(lambda t: f"{t[0]}{t[1]:%Y%m%d}{t[2]}")


@given(id_body, st.sampled_from(ID_CHECK))
def test_id_number_check_digit(body, check):
    expected = id_check_char(body)
    problem = id_number_problem(body + check)
    assert (problem is None) == (check == expected)
