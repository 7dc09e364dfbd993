"""``paykit.params``: one package, the same names as before it was split."""

from __future__ import annotations

import importlib

from paykit import params

#: What ``paykit.params`` exported as one module, before it became a package.
NAMES_BEFORE_THE_SPLIT = {
    "CARD_STATEMENT_DESCRIPTOR_CUTOFF", "COMPLETE_MIN_LENGTH", "CONFIRM_ONLY_PARAMS",
    "DESCRIPTOR_RULES", "FORBIDDEN_DESCRIPTOR_CHARACTERS", "METADATA_LIMITS", "OPERATIONS",
    "PAYMENT_METHOD_TYPES", "PREFIX_LENGTH", "RULES", "DescriptorRule", "Kind",
    "MetadataLimits", "ParamDefinitionError", "ParamRule", "Problem", "StatementPreview",
    "check", "customer_statement", "markdown_table", "merge_metadata", "metadata_problems",
    "rules_for", "statement_descriptor_problems", "validate",
}
SUBMODULES = {"coercion", "metadata", "problems", "rules", "statement_descriptors",
              "validation", "refund_rules", "customer_rules", "payment_method_rules",
              "setup_intent_rules", "webhook_endpoint_rules", "cross_rules"}


def test_all_is_exact() -> None:
    public = {n for n in vars(params) if not n.startswith("_")}
    assert set(params.__all__) == public - SUBMODULES - {"annotations"}
    assert len(params.__all__) == len(set(params.__all__))


#: What the package added since: the other objects' rule tables and their validation.
NAMES_ADDED = {"CROSS_RULES", "CUSTOMER_RULES", "PAYMENT_METHOD_RULES", "REFUND_REASONS",
               "REFUND_RULES", "validate_object", "WEBHOOK_ENDPOINT_RULES", "WEBHOOK_EVENT_TYPES"}


def test_the_package_exports_exactly_the_names_of_the_module_it_replaced() -> None:
    assert set(params.__all__) == NAMES_BEFORE_THE_SPLIT | NAMES_ADDED


def test_each_name_is_the_object_its_module_defines() -> None:
    for name in params.__all__:
        home = getattr(params, name).__module__ if hasattr(getattr(params, name),
                                                            "__module__") else None
        if home is not None and home.startswith("paykit.params."):
            assert getattr(importlib.import_module(home), name) is getattr(params, name)
