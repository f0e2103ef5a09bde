"""Resolve what a key property points at, so that only a provably customer-managed key passes.

Every value a template can put in a key property resolves to one or more `KeyTarget`s (one per
Fn::If / Fn::FindInMap branch). A resource passes only when every target passes. Anything that
cannot be proven resolves to a failing target whose `reason` says what could not be proven.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Mapping

from guardrails.kms_identifiers import ALIAS, KEY_ARN, KEY_ID

if TYPE_CHECKING:
    from guardrails.template import Template

# Values substituted for pseudo parameters when judging the shape of an ARN built with Fn::Sub/Join.
PSEUDO_SAMPLES = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012",
                   "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "stack", "AWS::StackId": "stack-id"}
_MAX_DEPTH = 32  # deeper intrinsic nesting than any real template: judged unknown, never recursed into
# YAML anchors can share one Fn::If node between both branches of another: 2**32 paths within the depth
# limit. A budget of visits per property keeps the work bounded; past it the key is unknown (fail closed).
_MAX_VISITS = 4096
KEY_TYPES = ("AWS::KMS::Key", "AWS::KMS::ReplicaKey")  # the one list: a replica has its own policy, window and tags
NO_VALUE = {"Ref": "AWS::NoValue"}


class KeyKind(Enum):
    TEMPLATE_KEY = "key in template"
    KEY_ARN = "literal key ARN"
    ALIAS = "alias"
    AWS_MANAGED_ALIAS = "AWS-managed alias"
    PARAMETER = "parameter"
    IMPORT = "import"
    ABSENT = "absent"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class KeyTarget:
    kind: KeyKind
    reason: str  # what the value is, in words a reviewer understands
    template: str | None = None  # for TEMPLATE_KEY: template path and logical id of the key
    logical_id: str | None = None
    form_error: str | None = None  # the key is customer-managed but the value's form is wrong for the property

    @property
    def is_customer_managed(self) -> bool:
        return self.kind in (KeyKind.TEMPLATE_KEY, KeyKind.KEY_ARN)

    @property
    def passes(self) -> bool:
        return self.is_customer_managed and self.form_error is None


# Finds what an export resolves to: name, arn_required -> targets, or None when no scanned template exports it.
ExportLookup = Callable[[str, bool], "list[KeyTarget] | None"]


class KeyResolver:
    """Resolves key property values inside one template; `exports` finds Fn::ImportValue targets."""

    def __init__(self, template: "Template", exports: ExportLookup | None = None):
        self.template = template
        self.exports = exports or (lambda name, arn_required: None)
        self.missing_exports: set[str] = set()  # imports not (yet) found: the engine may retry them later
        # every export name looked up: the engine judges importers after all templates are read, so that a
        # name exported twice is judged on every exporter whatever the file order
        self.imports_used: set[str] = set()
        self._visits = 0

    def _spend_visit(self, depth: int) -> list[KeyTarget] | None:
        """Count one visit (a new top-level resolution starts the count); past the budget, fail closed."""
        if depth == 0:
            self._visits = 0
        self._visits += 1
        if self._visits > _MAX_VISITS:
            return [KeyTarget(KeyKind.UNKNOWN, "the key has too many possible values to evaluate (shared YAML anchors?)")]
        return None

    def resolve(self, value: Any, *, arn_required: bool, depth: int = 0) -> list[KeyTarget]:
        exhausted = self._spend_visit(depth)
        if exhausted:
            return exhausted
        if depth > _MAX_DEPTH:
            return [KeyTarget(KeyKind.UNKNOWN, "intrinsic functions nested too deeply to evaluate")]
        if value is None:
            return [KeyTarget(KeyKind.ABSENT, "no key is set, so the service uses an AWS-owned key")]
        if isinstance(value, str):
            return [self._literal(value, arn_required)]
        if isinstance(value, dict) and len(value) == 1:
            (fn, arg), = value.items()
            handler = _INTRINSICS.get(fn)
            if handler is not None:
                return handler(self, arg, arn_required, depth + 1)
            return [KeyTarget(KeyKind.UNKNOWN, f"{fn} cannot be evaluated before deployment, so the key cannot be proven customer-managed")]
        return [KeyTarget(KeyKind.UNKNOWN, f"a {type(value).__name__} value is not a key reference")]

    def resolve_property(self, value: Any, path: tuple[str, ...], *, arn_required: bool, depth: int = 0) -> list[KeyTarget]:
        """Resolve the key at `path` below `value` (a resource's Properties), expanding Fn::If at any level.

        A "[]" step resolves the rest of the path in every item of a list; a list that is absent or
        AWS::NoValue has no items and so needs no key (no targets).
        """
        exhausted = self._spend_visit(depth)
        if exhausted:
            return exhausted
        if depth > _MAX_DEPTH:
            return [KeyTarget(KeyKind.UNKNOWN, "intrinsic functions nested too deeply to evaluate")]
        if not path:
            return self.resolve(value, arn_required=arn_required, depth=depth)
        if value is None or value == NO_VALUE:
            return [] if "[]" in path else self.resolve(None, arn_required=arn_required)
        if path[0] == "[]" and isinstance(value, list):
            return [t for item in value for t in self.resolve_property(item, path[1:], arn_required=arn_required, depth=depth + 1)]
        if isinstance(value, dict) and len(value) == 1:
            (fn, arg), = value.items()
            if fn == "Fn::If" and isinstance(arg, list) and len(arg) == 3:
                return [t for branch in arg[1:] for t in self.resolve_property(branch, path, arn_required=arn_required, depth=depth + 1)]
            if isinstance(fn, str) and (fn.startswith("Fn::") or fn == "Ref"):
                return [KeyTarget(KeyKind.UNKNOWN, f"{fn} around {'.'.join(path)} cannot be evaluated before deployment, "
                                  "so the key cannot be proven customer-managed")]
        if path[0] == "[]":
            return [KeyTarget(KeyKind.UNKNOWN, f"expected a list holding {'.'.join(path[1:])}")]
        if not isinstance(value, dict):
            return [KeyTarget(KeyKind.UNKNOWN, f"expected an object holding {'.'.join(path)}")]
        return self.resolve_property(value.get(path[0]), path[1:], arn_required=arn_required, depth=depth + 1)

    # -- literals ---------------------------------------------------------------------------
    def _literal(self, text: str, arn_required: bool) -> KeyTarget:
        if not text.strip():
            return KeyTarget(KeyKind.ABSENT, "the key is an empty string, so the service uses an AWS-owned key")
        if KEY_ARN.fullmatch(text):
            return KeyTarget(KeyKind.KEY_ARN, f"literal key ARN {text}")
        alias = ALIAS.fullmatch(text)
        if alias:
            if alias.group("name").startswith("aws/"):
                return KeyTarget(KeyKind.AWS_MANAGED_ALIAS, f"{text} is an AWS-managed key, which you cannot own, rotate on your schedule or restrict")
            return KeyTarget(KeyKind.ALIAS, f"alias {text} can be repointed at any key, so it cannot be proven customer-managed; use the key ARN")
        if KEY_ID.fullmatch(text):
            if arn_required:
                return KeyTarget(KeyKind.KEY_ARN, f"key id {text}", form_error="the property takes a full key ARN, not a key id")
            return KeyTarget(KeyKind.KEY_ARN, f"literal key id {text}")
        return KeyTarget(KeyKind.UNKNOWN, f"{text!r} is not a KMS key ARN")

    # -- intrinsics -------------------------------------------------------------------------
    def _ref(self, name: Any, arn_required: bool, depth: int) -> list[KeyTarget]:
        if not isinstance(name, str):
            return [KeyTarget(KeyKind.UNKNOWN, "Ref needs a name")]
        if name == "AWS::NoValue":
            return [KeyTarget(KeyKind.ABSENT, "AWS::NoValue removes the key, so the service uses an AWS-owned key")]
        if name in self.template.parameters:
            return [KeyTarget(KeyKind.PARAMETER, f"the key comes from parameter {name}, whose value is only known at deploy time; "
                              "reference a key defined in the template or a literal key ARN")]
        resource = self.template.resource(name)
        if resource is None:
            return [KeyTarget(KeyKind.UNKNOWN, f"Ref {name} names nothing in this template")]
        if resource.type in KEY_TYPES:
            form = "Ref returns the key id; this property takes the key ARN (Fn::GetAtt <Key>.Arn)" if arn_required else None
            return [KeyTarget(KeyKind.TEMPLATE_KEY, f"key {name} in this template", self.template.path, name, form)]
        if resource.type == "AWS::KMS::Alias":
            # Even an alias defined here can be repointed with kms:UpdateAlias outside CloudFormation, so it
            # proves nothing; its target key is still noted, so the key rules check that key.
            targets = self.resolve(resource.properties.get("TargetKeyId"), arn_required=False, depth=depth)
            return [KeyTarget(KeyKind.ALIAS, f"alias {name} (now -> {t.reason}) can be repointed with UpdateAlias outside "
                              "CloudFormation, so it cannot prove the key; reference the key ARN (Fn::GetAtt <Key>.Arn)",
                              t.template, t.logical_id) for t in targets]
        return [KeyTarget(KeyKind.UNKNOWN, f"Ref {name} points at a {resource.type}, not a KMS key")]

    def _get_att(self, arg: Any, arn_required: bool, depth: int) -> list[KeyTarget]:
        if isinstance(arg, str) and "." in arg:
            arg = arg.split(".", 1)
        if not (isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg)):
            return [KeyTarget(KeyKind.UNKNOWN, "Fn::GetAtt with a computed argument cannot be evaluated")]
        logical_id, attribute = arg
        resource = self.template.resource(logical_id)
        if resource is None:
            return [KeyTarget(KeyKind.UNKNOWN, f"Fn::GetAtt {logical_id}.{attribute} names nothing in this template")]
        if resource.type in KEY_TYPES and attribute in ("Arn", "KeyId"):
            form = "KeyId is not an ARN; use Fn::GetAtt <Key>.Arn" if arn_required and attribute == "KeyId" else None
            return [KeyTarget(KeyKind.TEMPLATE_KEY, f"key {logical_id} in this template", self.template.path, logical_id, form)]
        return [KeyTarget(KeyKind.UNKNOWN, f"Fn::GetAtt {logical_id}.{attribute} is a {resource.type} attribute, not a KMS key ARN")]

    def _if(self, arg: Any, arn_required: bool, depth: int) -> list[KeyTarget]:
        if not (isinstance(arg, list) and len(arg) == 3):
            return [KeyTarget(KeyKind.UNKNOWN, "Fn::If needs [condition, value-if-true, value-if-false]")]
        return self.resolve(arg[1], arn_required=arn_required, depth=depth) + self.resolve(arg[2], arn_required=arn_required, depth=depth)

    def _find_in_map(self, arg: Any, arn_required: bool, depth: int) -> list[KeyTarget]:
        mappings = self.template.data.get("Mappings")
        if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str) and isinstance(mappings, dict)
                and isinstance(mappings.get(arg[0]), dict)):
            return [KeyTarget(KeyKind.UNKNOWN, "Fn::FindInMap names no mapping in this template")]
        # Every value the lookup could return must pass: literal keys narrow the candidates.
        tops = [mappings[arg[0]].get(arg[1])] if isinstance(arg[1], str) else list(mappings[arg[0]].values())
        values = []
        for top in tops:
            if not isinstance(top, dict):
                return [KeyTarget(KeyKind.UNKNOWN, f"Fn::FindInMap {arg[0]} has no entry for {arg[1]!r}")]
            values.extend([top.get(arg[2])] if isinstance(arg[2], str) else list(top.values()))
        if not values:
            return [KeyTarget(KeyKind.UNKNOWN, f"Fn::FindInMap {arg[0]} is empty")]
        return [t for v in values for t in self.resolve(v, arn_required=arn_required, depth=depth)]

    def _import(self, arg: Any, arn_required: bool, depth: int) -> list[KeyTarget]:
        name = self.render(arg, depth)
        if name is None or "${" in name:
            return [KeyTarget(KeyKind.IMPORT, "Fn::ImportValue with a computed export name cannot be followed; the key cannot be proven customer-managed")]
        self.imports_used.add(name)
        found = self.exports(name, arn_required)
        if found is None:
            self.missing_exports.add(name)
            return [KeyTarget(KeyKind.IMPORT, f"export {name!r} is not among the scanned templates, so its key cannot be proven "
                              "customer-managed; scan the exporting stack too")]
        return found

    def _sub_or_join(self, value: Mapping[str, Any], arn_required: bool, depth: int) -> list[KeyTarget]:
        (fn, arg), = value.items()
        # "${Key.Arn}" alone is just a GetAtt written as Fn::Sub.
        if fn == "Fn::Sub" and isinstance(arg, str):
            whole = re.fullmatch(r"\$\{([^}!]+)\}", arg)
            if whole:
                inner = whole.group(1)
                return self.resolve({"Fn::GetAtt": inner} if "." in inner else {"Ref": inner}, arn_required=arn_required, depth=depth)
        params = sorted(self._parameters_used(value, depth))
        if params:
            return [KeyTarget(KeyKind.PARAMETER, f"the key ARN is built from parameter {', '.join(params)}, known only at deploy time; "
                              "reference a key defined in the template or a literal key ARN")]
        rendered = self.render(value, depth)
        if rendered is None:
            return [KeyTarget(KeyKind.UNKNOWN, f"{fn} builds the key from values that cannot be evaluated before deployment")]
        sample = re.sub(r"\$\{([^}]+)\}", lambda m: PSEUDO_SAMPLES.get(m.group(1), m.group(0)), rendered)
        if "${" in sample:
            return [KeyTarget(KeyKind.UNKNOWN, f"{fn} builds {rendered!r} from resource attributes; the key cannot be proven customer-managed")]
        target = self._literal(sample, arn_required)
        return [KeyTarget(target.kind, target.reason.replace(sample, rendered), form_error=target.form_error)]

    # -- helpers ----------------------------------------------------------------------------
    def render(self, value: Any, depth: int = 0) -> str | None:
        """A string with `${Name}` placeholders for references, or None when it cannot be rendered.

        A function of the value alone: it never reads the template (key-policy verdicts are memoised on it,
        guardrails/key_policy.py `pure_renderer`)."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not (isinstance(value, dict) and len(value) == 1):
            return None
        (fn, arg), = value.items()
        if fn == "Ref" and isinstance(arg, str):
            return "${" + arg + "}"
        if fn == "Fn::GetAtt":
            if isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg):
                return "${" + ".".join(arg) + "}"
            return "${" + arg + "}" if isinstance(arg, str) else None
        if fn == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1]) if (
                isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict)) else (None, None)
            if text is None:
                return None
            for name, var in variables.items():
                if not isinstance(name, str):
                    return None
                rendered = self.render(var, depth + 1)
                if rendered is None:
                    return None
                text = text.replace("${" + name + "}", rendered)
            return text
        if fn == "Fn::Join":
            if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], list)):
                return None
            parts = [self.render(part, depth + 1) for part in arg[1]]
            return None if any(p is None for p in parts) else arg[0].join(parts)  # type: ignore[arg-type]
        return None

    def _parameters_used(self, value: Any, depth: int = 0) -> set[str]:
        if depth > _MAX_DEPTH:
            return set()
        if isinstance(value, list):
            return set().union(*(self._parameters_used(v, depth + 1) for v in value)) if value else set()
        if not isinstance(value, dict):
            return set()
        found: set[str] = set()
        for fn, arg in value.items():
            if fn == "Ref" and isinstance(arg, str) and arg in self.template.parameters:
                found.add(arg)
            elif fn == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0] if isinstance(arg, list) and arg and isinstance(arg[0], str) else ""
                local = set(arg[1]) if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict) else set()
                found.update(n for n in re.findall(r"\$\{([^}!.]+)\}", text) if n in self.template.parameters and n not in local)
                found |= self._parameters_used(arg, depth + 1) if isinstance(arg, list) else set()
            else:
                found |= self._parameters_used(arg, depth + 1)
        return found


_INTRINSICS: dict[str, Callable[[KeyResolver, Any, bool, int], list[KeyTarget]]] = {
    "Ref": KeyResolver._ref,
    "Fn::GetAtt": KeyResolver._get_att,
    "Fn::If": KeyResolver._if,
    "Fn::FindInMap": KeyResolver._find_in_map,
    "Fn::ImportValue": KeyResolver._import,
    "Fn::Sub": lambda self, arg, arn, depth: self._sub_or_join({"Fn::Sub": arg}, arn, depth),
    "Fn::Join": lambda self, arg, arn, depth: self._sub_or_join({"Fn::Join": arg}, arn, depth),
}


