"""`jppint rules list` and `jppint rules show`: the catalogue from the command line."""

from __future__ import annotations

import json

from jppint.catalogue import all_rules, load_catalogue


def test_rules_list_prints_every_rule_with_flag_specs_terms_and_message(cli) -> None:
    run = cli("rules", "list", "--lang", "en")
    catalogue = all_rules()
    assert run.code == 0
    assert run.out.splitlines()[-1] == f"{len(catalogue)} rules"
    entry = catalogue["ibr-024"]
    assert entry.messages["en"] in run.out
    line = next(line for line in run.out.splitlines() if line.startswith("ibr-024 "))
    assert entry.flag in line and ",".join(entry.specs) in line and entry.business_terms[0] in line


def test_rules_list_filters_by_spec_and_speaks_japanese(cli) -> None:
    run = cli("rules", "list", "--spec", "jp-ntr", "--lang", "ja", "--format", "json")
    rules = json.loads(run.out)
    expected = [entry.rule_id for entry in all_rules().values() if "jp-ntr" in entry.specs]
    assert [rule["id"] for rule in rules] == expected
    text = cli("rules", "list", "--spec", "jp-ntr", "--lang", "ja").out
    assert load_catalogue()["ibr-024"].messages["ja"] in text


def test_rules_show_prints_both_messages(cli) -> None:
    entry = load_catalogue()["ibr-024"]
    run = cli("rules", "show", "ibr-024")
    assert run.code == 0
    assert f"id:             {entry.rule_id}" in run.out
    assert entry.messages["en"] in run.out and entry.messages["ja"] in run.out
    assert json.loads(cli("rules", "show", "IBR-024", "--format", "json").out)["messages"] == entry.messages


def test_rules_show_an_unknown_id_suggests_close_ones(cli) -> None:
    run = cli("rules", "show", "ibr-24")
    assert run.code == 2
    assert run.err.startswith("jppint: unknown rule id 'ibr-24'; did you mean ")
    assert "ibr-024" in run.err


def test_the_schema_layer_ids_are_listed_and_shown_with_their_layer(cli) -> None:
    listing = cli("rules", "list", "--lang", "en").out
    line = next(line for line in listing.splitlines() if line.startswith("ubl-schema-missing-element "))
    assert " schema " in line and "fatal" in line
    listing = cli("rules", "list", "--lang", "ja").out
    line = next(line for line in listing.splitlines() if line.startswith("ubl-schema-missing-element "))
    assert " スキーマ " in line and "エラー" in line
    assert "必須の要素がありません。" in listing
    shown = json.loads(cli("rules", "show", "ubl-schema-datatype", "--format", "json").out)
    assert shown["layer"] == "schema" and shown["flag"] == "fatal"
    assert set(shown["specs"]) == {"jp", "jp-sb", "jp-ntr"}
    assert "date" in shown["messages"]["en"] and "日付" in shown["messages"]["ja"]
    rules_entry = json.loads(cli("rules", "show", "ibr-024", "--format", "json").out)
    assert rules_entry["layer"] == "rules"


def test_rules_diff_lists_what_differs_between_two_releases_as_text_and_json(cli) -> None:
    from jppint.rules_diff import diff_releases

    run = cli("rules", "diff", "1.1.2", "1.1.3")
    assert run.code == 0
    assert run.out == diff_releases("1.1.2", "1.1.3").to_text()
    assert "  removed  ibr-sr-45 (jp jp-sb jp-ntr)" in run.out.splitlines()
    as_json = json.loads(cli("rules", "diff", "1.1.2", "1.1.3", "--format", "json").out)
    assert as_json == diff_releases("1.1.2", "1.1.3").to_json()
    assert cli("rules", "diff", "1.1.3", "1.1.3").out.endswith("no difference\n")


def test_rules_diff_refuses_a_release_it_does_not_have(cli) -> None:
    run = cli("rules", "diff", "1.1.2", "9.9.9")
    assert run.code == 2
    assert "invalid choice: '9.9.9'" in run.err


def test_rules_list_and_show_take_the_rules_of_a_release(cli) -> None:
    listed = [
        rule["id"] for rule in json.loads(cli("rules", "list", "--rules-version", "1.1.2", "--format", "json").out)
    ]
    assert "ibr-sr-45" in listed
    assert "ibr-sr-45" not in [rule["id"] for rule in json.loads(cli("rules", "list", "--format", "json").out)]
    shown = json.loads(cli("rules", "show", "ibr-004", "--rules-version", "1.1.2", "--format", "json").out)
    assert shown["messages"] == load_catalogue("1.1.2")["ibr-004"].messages != load_catalogue()["ibr-004"].messages


def test_rules_show_prints_the_value_sentence_of_a_computing_rule(cli) -> None:
    entry = load_catalogue()["ibr-co-13"]
    english = cli("rules", "show", "ibr-co-13", "--lang", "en").out
    values_line = next(line for line in english.splitlines() if line.startswith("values (en):"))
    assert "<found>" in values_line and "<expected>" in values_line and "{" not in values_line
    assert any(line.startswith("values (ja):") for line in english.splitlines())
    japanese = cli("rules", "show", "ibr-co-13", "--lang", "ja").out
    assert any(line.startswith("値:") and "<found>" in line for line in japanese.splitlines())
    shown = json.loads(cli("rules", "show", "ibr-co-13", "--format", "json").out)
    assert shown["value_messages"] == entry.value_messages
    assert "values" not in cli("rules", "show", "ibr-024", "--lang", "en").out
