"""``paykit.params.rules``: the table itself, checked against the 2023-08-16 spec."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from params_helpers import CONFIRM_ONLY, SPEC_PATHS

from paykit import params
from paykit.api_versions import param_gates, since
from paykit.lifecycle import Status
from paykit.params import (
    OPERATIONS,
    RULES,
    Kind,
    ParamDefinitionError,
    ParamRule,
    rules,
    rules_for,
)
from paykit.params.rules import Field
from paykit.payment_methods import MODELLED_TYPES


def test_the_six_operations_in_order() -> None:
    assert OPERATIONS == (
        "create", "update", "confirm", "capture", "cancel", "increment_authorization",
    )


def test_every_rule_names_operations_from_operations_and_has_a_doc() -> None:
    for rule in RULES.values():
        assert set(rule.operations) <= set(OPERATIONS)
        assert rule.doc


def test_a_contradictory_rule_cannot_be_imported() -> None:
    amount = RULES["amount"]
    broken = [
        replace(amount, required_in=("cancel",)),
        replace(amount, unsettable=("create",)),
        replace(amount, kind=Kind.STRING),
        replace(RULES["capture_method"], enum=()),
        replace(RULES["return_url"], operations=("confirm",)),
        replace(RULES["confirm"], updatable_in=frozenset()),
        replace(amount, operations=("update", "create")),
        replace(amount, doc=""),
    ]
    for rule in broken:
        with pytest.raises(ParamDefinitionError):
            rules._check_rules({rule.name: rule})
    with pytest.raises(ParamDefinitionError):
        rules._check_rules({"other": amount})


def test_rules_for_lists_what_an_operation_accepts() -> None:
    assert set(rules_for("cancel")) == {"cancellation_reason", "expand"}
    assert "amount_to_capture" in rules_for("capture")
    with pytest.raises(ValueError, match="unknown operation"):
        rules_for("refund")


def test_the_markdown_table_prints_every_rule() -> None:
    table = params.markdown_table()
    for name in RULES:
        assert f"`{name}`" in table
    assert "`amount`" not in params.markdown_table("cancel")


def _variants(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return schema.get("anyOf", [schema])


def test_the_table_has_exactly_the_parameters_of_the_spec(spec: dict[str, Any]) -> None:
    version = spec["_source"]["primary_spec"]["info_version"]
    for operation, path in SPEC_PATHS.items():
        body = spec["requests"][path]["request_body_schema"]
        # and the parameters later versions add (the version table says which)
        later = {name for name, gate in param_gates("payment_intent", operation).items()
                 if gate.added is not None and not since(gate.added.key, version)}
        assert set(rules_for(operation)) == set(body["properties"]) | later, operation
        required = {n for n, r in rules_for(operation).items() if operation in r.required_in}
        assert required == set(body.get("required", [])), operation


def test_types_enums_limits_and_unsets_match_the_spec(spec: dict[str, Any]) -> None:
    kinds = {
        "integer": {Kind.INTEGER, Kind.AMOUNT},
        "boolean": {Kind.BOOLEAN},
        "object": {Kind.OBJECT, Kind.METADATA},
        "array": {Kind.ARRAY},
        "string": {Kind.STRING, Kind.EMAIL, Kind.URL, Kind.ENUM, Kind.CURRENCY,
                   Kind.STATEMENT_DESCRIPTOR},
    }
    for operation, path in SPEC_PATHS.items():
        for name, schema in spec["requests"][path]["request_body_schema"]["properties"].items():
            rule = RULES[name]
            variants = _variants(schema)
            unset = any(v.get("enum") == [""] for v in variants) or "" in schema.get("enum", [])
            assert unset == (operation in rule.unsettable), (operation, name)
            main = next(v for v in variants if v.get("enum") != [""])
            assert rule.kind in kinds[main["type"]], (operation, name)
            values = {e for v in variants for e in v.get("enum", []) if e != ""}
            if rule.kind is not Kind.ARRAY:
                assert values == set(rule.enum), (operation, name)
            lengths = {v.get("maxLength") for v in variants} | {
                v.get("items", {}).get("maxLength") for v in variants
            }
            assert rule.max_length in lengths, (operation, name)
            says_confirm_only = "only be used with [`confirm=true`]" in schema.get(
                "description", "")
            if operation == "create":
                assert says_confirm_only == rule.confirm_only, name


def test_the_confirm_only_parameters_are_the_five_of_the_spec() -> None:
    assert {n for n, r in RULES.items() if r.confirm_only} == set(CONFIRM_ONLY)


PAYMENT_FIELDS = ["amount", "currency", "payment_method", "payment_method_types",
                  "capture_method", "setup_future_usage", "statement_descriptor",
                  "statement_descriptor_suffix"]


@pytest.mark.parametrize("name", PAYMENT_FIELDS)
def test_the_payment_may_change_only_before_it_is_attempted(name: str) -> None:
    before = {Status.REQUIRES_PAYMENT_METHOD, Status.REQUIRES_CONFIRMATION,
              Status.REQUIRES_ACTION}
    assert RULES[name].updatable_in == before


# -- the keys of object parameters -----------------------------------------------------------


def _fields(spec_or_rule: ParamRule | Field) -> list[Field]:
    """Every key under a rule, all the way down."""
    found = []
    for sub in spec_or_rule.fields.values():
        found += [sub, *_fields(sub)]
    return found


def test_every_key_knows_its_bracketed_name() -> None:
    card = RULES["payment_method_options"].fields["card"]
    assert card.name == "payment_method_options[card]"
    assert card.fields["installments"].fields["enabled"].name == (
        "payment_method_options[card][installments][enabled]")
    for rule in RULES.values():
        for sub in _fields(rule):
            assert sub.name.startswith(f"{rule.name}[") and sub.name.endswith("]")


def test_payment_method_options_list_exactly_the_modelled_types() -> None:
    assert tuple(RULES["payment_method_options"].fields) == MODELLED_TYPES


def _spec_property(spec: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The schema of a bracketed name in every operation's body that has it."""
    head, *keys = name.replace("]", "").split("[")
    found = []
    for path in SPEC_PATHS.values():
        schema = spec["requests"][path]["request_body_schema"]["properties"].get(head)
        for key in keys:
            if schema is None:
                break
            main = next((v for v in _variants(schema) if v.get("enum") != [""]), {})
            schema = main.get("properties", {}).get(key)
        if schema is not None:
            found.append(schema)
    return found


def test_every_key_of_the_table_is_in_the_spec_with_its_type_enum_and_unset(
    spec: dict[str, Any],
) -> None:
    types = {"integer": {Kind.INTEGER}, "boolean": {Kind.BOOLEAN}, "object": {Kind.OBJECT},
             "array": {Kind.ARRAY}, "string": {Kind.STRING, Kind.ENUM}}
    for rule in RULES.values():
        for sub in _fields(rule):
            schemas = _spec_property(spec, sub.name)
            assert schemas, sub.name
            for schema in schemas:
                variants = _variants(schema)
                unset = any(v.get("enum") == [""] for v in variants) or "" in schema.get(
                    "enum", [])
                assert unset == sub.unsettable, sub.name
                main = next(v for v in variants if v.get("enum") != [""])
                assert sub.kind in types[main["type"]], sub.name
                values = {e for e in main.get("enum", []) if e != ""}
                if main.get("x-stripeBypassValidation"):  # newer versions add values
                    assert sub.kind is Kind.STRING and not sub.enum, sub.name
                else:
                    assert values == set(sub.enum), sub.name
                assert sub.max_length == main.get("maxLength"), sub.name


def test_a_contradictory_key_cannot_be_imported() -> None:
    apm = RULES["automatic_payment_methods"]
    broken = [
        {"enabled": Field(Kind.ENUM)},
        {"enabled": Field(Kind.BOOLEAN, minimum=0)},
        {"enabled": Field(Kind.AMOUNT, minimum=1)},
        {"enabled": Field(Kind.STRING, fields={"x": Field(Kind.STRING)})},
        {"outer": Field(Kind.OBJECT, fields={"inner": Field(Kind.METADATA)})},
    ]
    for fields in broken:
        with pytest.raises(ParamDefinitionError):
            rules._check_rules({apm.name: replace(apm, fields=fields)})
