"""Forms as data: every shipped form loads, and a broken one is refused with a clear reason."""

from __future__ import annotations

import copy

import pytest

from webapp.catalogue.loader import read_procedures
from webapp.dossiers.formdefs import FIELD_TYPES, FormDefinitionError, parse_form, read_forms

REQUIRED_ONLINE = {"1.001776", "1.014027", "1.001731", "1.000656", "1.001193", "1.004873",
                   "1.003421", "1.001612"}

VALID = {
    "procedure": "9.999999",
    "commune_field": "commune",
    "phone_field": "phone",
    "vi": {"prepare": ["Thẻ căn cước"]},
    "en": {"prepare": ["Citizen ID card"]},
    "question": [
        {"name": "kind", "type": "choice", "vi": {"label": "Loại"}, "en": {"label": "Kind"},
         "option": [{"value": "a", "vi": {"label": "A"}, "en": {"label": "A"}},
                    {"value": "b", "vi": {"label": "B"}, "en": {"label": "B"}}]},
        {"name": "detail", "type": "text", "show_if": {"field": "kind", "is": "b"},
         "vi": {"label": "Chi tiết"}, "en": {"label": "Detail"}},
        {"name": "commune", "type": "commune", "vi": {"label": "Xã"}, "en": {"label": "Commune"}},
        {"name": "phone", "type": "phone", "vi": {"label": "Số"}, "en": {"label": "Phone"}},
    ],
    "paper": [{"key": "id_card", "vi": {"label": "Thẻ"}, "en": {"label": "Card"},
               "show_if": {"field": "kind", "is": ["a", "b"]}}],
}


def broken(change) -> str:
    data = copy.deepcopy(VALID)
    change(data)
    with pytest.raises(FormDefinitionError) as error:
        parse_form(data, "9.999999.toml")
    assert str(error.value).startswith("9.999999.toml: ")
    return str(error.value)


def test_at_least_the_eight_required_procedures_are_online():
    forms = read_forms()
    assert REQUIRED_ONLINE <= set(forms)
    catalogue = {p["code"]: p for p in read_procedures()}
    for code in forms:
        assert catalogue[code]["online"], f"{code} has a form but is not marked online"


def test_shipped_forms_use_every_field_type_and_ask_for_photos():
    forms = read_forms().values()
    used = {q.type for form in forms for q in form.questions}
    assert used == set(FIELD_TYPES)
    assert all(form.papers for form in forms)
    assert any(q.show_if for form in forms for q in form.questions)


def test_a_valid_definition_parses():
    form = parse_form(VALID, "9.999999.toml")
    assert [q.name for q in form.questions] == ["kind", "detail", "commune", "phone"]
    assert form.question("detail").show_if.values == ("b",)


def test_unknown_field_type_is_named():
    assert "unknown field type 'colour'" in broken(
        lambda d: d["question"][1].update(type="colour"))


def test_duplicate_question_names_are_refused():
    assert "duplicate question name 'kind'" in broken(
        lambda d: d["question"][1].update(name="kind"))


def test_a_condition_must_refer_to_an_earlier_question():
    assert "not an earlier question" in broken(
        lambda d: d["question"][1].update(show_if={"field": "phone", "is": "x"}))
    assert "not an earlier question" in broken(
        lambda d: d["question"][1].update(show_if={"field": "nothing", "is": "x"}))


def test_a_condition_value_must_be_a_possible_answer():
    assert "is not an answer of 'kind'" in broken(
        lambda d: d["question"][1].update(show_if={"field": "kind", "is": "z"}))


def test_papers_keys_are_checked():
    assert "bad paper key" in broken(lambda d: d["paper"][0].update(key="ID Card"))
    assert "unknown keys ['colour']" in broken(lambda d: d["paper"][0].update(colour="red"))
    assert "duplicate paper key" in broken(lambda d: d["paper"].append(d["paper"][0]))


def _side(key: str) -> dict:
    return {"key": key, "vi": {"label": key.capitalize()}, "en": {"label": key.capitalize()}}


def test_a_paper_may_ask_for_each_side_and_its_sides_are_checked():
    data = copy.deepcopy(VALID)
    data["paper"][0]["side"] = [_side("front"), _side("back")]
    paper = parse_form(data, "9.999999.toml").papers[0]
    assert [s.key for s in paper.sides] == ["front", "back"] and paper.side("back").label("vi")
    assert "no sides or at least two" in broken(
        lambda d: d["paper"][0].update(side=[_side("front")]))
    assert "duplicate side" in broken(
        lambda d: d["paper"][0].update(side=[_side("front"), _side("front")]))
    assert "bad side key" in broken(lambda d: d["paper"][0].update(side=[_side("Front"),
                                                                          _side("back")]))
    no_english = _side("back")
    del no_english["en"]
    assert "lacks its en text" in broken(
        lambda d: d["paper"][0].update(side=[_side("front"), no_english]))
    assert all(p.sides for f in read_forms().values() for p in f.papers
               if p.key == "citizen_id_card")  # every ID card: front and back


def test_vietnamese_and_english_labels_are_both_required():
    assert "lacks en.label" in broken(lambda d: d["question"][0]["en"].pop("label"))
    assert "lacks its vi text" in broken(lambda d: d["paper"][0].pop("vi"))
    assert "option 'a' lacks vi.label" in broken(
        lambda d: d["question"][0]["option"][0]["vi"].pop("label"))


def test_the_commune_and_phone_answers_must_exist_and_always_be_asked():
    assert "commune_field" in broken(lambda d: d.update(commune_field="detail"))
    assert "must always be asked" in broken(
        lambda d: d["question"][3].update(show_if={"field": "kind", "is": "a"}))


def test_a_typo_in_a_setting_is_refused():
    assert "unknown keys ['maxlength']" in broken(lambda d: d["question"][1].update(maxlength=5))


def test_a_broken_file_names_itself(tmp_path):
    (tmp_path / "1.000001.toml").write_text('procedure = "1.000001"\n[[question]]\nname = ')
    with pytest.raises(FormDefinitionError, match=r"^1\.000001\.toml: not valid TOML"):
        read_forms(tmp_path)


def _with_group(questions, *extra) -> dict:
    data = copy.deepcopy(VALID)
    data["question"].insert(3, {"name": "address", "type": "address",
                                "vi": {"label": "Địa chỉ"}, "en": {"label": "Address"}})
    data["group"] = [{"name": "residence", "questions": questions,
                      "vi": {"label": "Nơi ở"}, "en": {"label": "Where you live"}}, *extra]
    return data


def test_a_group_names_questions_that_follow_one_another():
    form = parse_form(_with_group(["commune", "address"]), "9.999999.toml")
    assert form.group_of("address").questions == ("commune", "address")
    assert form.group_of("phone") is None


@pytest.mark.parametrize(("questions", "problem"), [
    (["commune"], "at least two questions"),
    (["commune", "street"], "'street' is not a question"),
    (["kind", "commune"], "must follow one another"),
    (["address", "commune"], "must follow one another"),
    (["kind", "detail"], "on a condition about its own group"),
])
def test_a_group_that_cannot_be_one_page_is_refused(questions, problem):
    with pytest.raises(FormDefinitionError, match=problem):
        parse_form(_with_group(questions), "9.999999.toml")


def test_a_question_is_in_one_group_at_most():
    again = {"name": "again", "questions": ["address", "phone"],
             "vi": {"label": "Lại"}, "en": {"label": "Again"}}
    with pytest.raises(FormDefinitionError, match="already in another group"):
        parse_form(_with_group(["commune", "address"], again), "9.999999.toml")
