#!/usr/bin/env python3
"""Strict offline check of Kubernetes manifests against the API schema of the Kubernetes Python client.

    python3 k8s_check.py FILE...

Every YAML document of every FILE is checked against the model classes of the official
Kubernetes Python client (`pip install kubernetes`), which are generated from the API's
OpenAPI description: every key must be a field of its object (`attribute_map`), every value
must have the field's type (`openapi_types`; an int is not a string, a bool is not an int),
and every required field must be there. Then what the schema cannot say:

  - every object has a metadata.name (a DNS subdomain);
  - apiVersion and kind name an object the API serves;
  - in a pod: container and volume names are unique, every volumeMount names a volume of the
    pod, every $(VAR) in a container's command or args is one of its environment variables
    (or JOB_COMPLETION_INDEX in an Indexed Job), and every $(VAR) in an env value one defined
    above it;
  - a Secret or ConfigMap that a volume, envFrom, secretKeyRef or configMapKeyRef names is one
    of the documents checked (same namespace), with the key named, unless marked optional;
  - Jobs: restartPolicy Never or OnFailure, the Indexed-only fields only with Indexed, a
    podFailurePolicy only with restartPolicy Never, its containerName a container of the pod;
  - CronJob schedules have five valid fields (or an @macro), and no time zone prefix;
  - no mapping repeats a key (YAML keeps the last silently; kubectl's strict field validation
    rejects it).

Prints `ok: N documents` and exits 0 when nothing is wrong; otherwise prints one line per
problem, `FILE: Kind name: path: what`, and exits 1. Exits 2 when it cannot run at all.
"""

import base64
import binascii
import datetime
import re
import sys

try:
    import yaml
    import kubernetes.client as kclient
    from kubernetes.client import models as kmodels
except ImportError as error:  # pragma: no cover - environment problem
    print(f"k8s_check: {error}: python3 -m pip install kubernetes pyyaml", file=sys.stderr)
    sys.exit(2)


# MARK: - YAML without silently repeated keys


class RepeatedKey(yaml.YAMLError):
    def __init__(self, key, mark):
        super().__init__(f"line {mark.line + 1}: mapping key {key!r} appears twice (YAML would keep the last silently)")


class StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing a mapping that names a key twice."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    repeated = key in seen
                except TypeError:
                    continue
                if repeated:
                    raise RepeatedKey(key, key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


# MARK: - The schema, from the client's models


# Fields the schema types as `object` that hold an int or a string (IntOrString).
INT_OR_STRING = {
    ("V1HTTPGetAction", "port"), ("V1TCPSocketAction", "port"), ("V1ServicePort", "target_port"),
    ("V1NetworkPolicyPort", "port"), ("V1PodDisruptionBudgetSpec", "min_available"),
    ("V1PodDisruptionBudgetSpec", "max_unavailable"), ("V1RollingUpdateDeployment", "max_surge"),
    ("V1RollingUpdateDeployment", "max_unavailable"), ("V1RollingUpdateDaemonSet", "max_surge"),
    ("V1RollingUpdateDaemonSet", "max_unavailable"), ("V1RollingUpdateStatefulSetStrategy", "max_unavailable"),
}

# Fields the schema types as strings that hold quantities ("256Mi", "500m"); the API server
# takes a bare number there too.
QUANTITIES = {
    ("V1ResourceRequirements", "limits"), ("V1ResourceRequirements", "requests"),
    ("V1VolumeResourceRequirements", "limits"), ("V1VolumeResourceRequirements", "requests"),
    ("V1EmptyDirVolumeSource", "size_limit"), ("V1PodSpec", "overhead"), ("V1ResourceQuotaSpec", "hard"),
}
QUANTITY = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$")

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")

PRIMITIVES = {"str", "int", "bool", "float", "object", "datetime", "date", "bytes"}

_required_cache = {}


def model_class(name):
    cls = getattr(kmodels, name, None)
    if cls is None or not isinstance(getattr(cls, "openapi_types", None), dict):
        return None
    return cls


def required_fields(cls):
    """The attributes of `cls` the schema requires.

    Clients from v35 on are pydantic models: a field without a default is required. Older ones
    are plain classes whose setters refuse None for a required field when client-side
    validation is on (ValueError "Invalid value for `x`, must not be `None`").
    """
    if cls in _required_cache:
        return _required_cache[cls]
    required = set()
    fields = getattr(cls, "model_fields", None)
    if isinstance(fields, dict) and fields:
        required = {name for name, field in fields.items() if field.is_required()}
    else:
        instance = cls.__new__(cls)
        configuration = kclient.Configuration()
        configuration.client_side_validation = True
        instance.local_vars_configuration = configuration
        for attribute in cls.openapi_types:
            setter = getattr(getattr(cls, attribute, None), "fset", None)
            if setter is None:
                continue
            try:
                setter(instance, None)
            except ValueError as error:
                if "must not be `None`" in str(error):
                    required.add(attribute)
            except Exception:  # a setter that needs more of the object than we gave it
                pass
    _required_cache[cls] = required
    return required


def parse_type(text):
    """('list', inner) | ('dict', inner) | ('prim', name) | ('model', class) for a type string."""
    text = text.strip()
    match = re.fullmatch(r"(?:list|List)\[(.*)\]", text)
    if match:
        return ("list", match.group(1))
    match = re.fullmatch(r"dict\(str, (.*)\)", text) or re.fullmatch(r"Dict\[str, (.*)\]", text)
    if match:
        return ("dict", match.group(1))
    if text in PRIMITIVES:
        return ("prim", text)
    cls = model_class(text)
    if cls is None:
        raise RuntimeError(f"type {text!r} of the client's models is not understood")
    return ("model", cls)


def describe(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"bool {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"{type(value).__name__} {value}"
    if isinstance(value, str):
        return f"string {value!r}" if len(value) <= 40 else "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def join(path, key):
    if isinstance(key, int):
        return f"{path}[{key}]"
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


class SchemaWalk:
    """Checks one document against its model, collecting (path, message) problems."""

    def __init__(self):
        self.problems = []

    def report(self, path, message):
        self.problems.append((path or "(document)", message))

    def value(self, value, type_text, path, owner=None):
        kind, inner = parse_type(type_text)
        if value is None:
            self.report(path, "null where a value is expected")
        elif kind == "list":
            if not isinstance(value, list):
                self.report(path, f"expected a list ({type_text}), got {describe(value)}")
                return
            for index, item in enumerate(value):
                self.value(item, inner, join(path, index), owner)
        elif kind == "dict":
            if not isinstance(value, dict):
                self.report(path, f"expected a mapping ({type_text}), got {describe(value)}")
                return
            for key, item in value.items():
                if not isinstance(key, str):
                    self.report(join(path, str(key)), f"key {describe(key)} is not a string")
                    continue
                self.value(item, inner, join(path, key), owner)
        elif kind == "model":
            self.model(value, inner, path)
        else:
            self.primitive(value, inner, path, owner)

    def primitive(self, value, name, path, owner):
        if owner in QUANTITIES and name == "str":
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                self.report(path, f"expected a quantity, got {describe(value)}")
            elif isinstance(value, str) and not QUANTITY.match(value):
                self.report(path, f"{value!r} is not a quantity (like 500m, 2, 256Mi, 1Gi)")
            return
        if name == "object":
            if owner in INT_OR_STRING and (isinstance(value, bool) or not isinstance(value, (int, str))):
                self.report(path, f"expected an int or a string, got {describe(value)}")
            return
        ok = {
            "str": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "float": isinstance(value, (int, float)) and not isinstance(value, bool),
            "datetime": isinstance(value, (str, datetime.datetime, datetime.date)),
            "date": isinstance(value, (str, datetime.date)),
            "bytes": isinstance(value, str),
        }[name]
        if not ok:
            expected = {"str": "a string", "int": "an int", "bool": "a bool", "float": "a number",
                        "datetime": "a time", "date": "a date", "bytes": "base64 text"}[name]
            self.report(path, f"expected {expected}, got {describe(value)}")

    def model(self, value, cls, path):
        if not isinstance(value, dict):
            self.report(path, f"expected a mapping ({cls.__name__}), got {describe(value)}")
            return
        by_json = {json_key: attribute for attribute, json_key in cls.attribute_map.items()}
        for key, item in value.items():
            if not isinstance(key, str):
                self.report(join(path, str(key)), f"key {describe(key)} is not a string")
                continue
            attribute = by_json.get(key)
            if attribute is None:
                self.report(join(path, key), f"unknown field (not in {cls.__name__})")
                continue
            if item is None:  # `key:` with nothing: the API server takes it as absent
                continue
            self.value(item, cls.openapi_types[attribute], join(path, key), (cls.__name__, attribute))
        for attribute in sorted(required_fields(cls)):
            json_key = cls.attribute_map[attribute]
            if value.get(json_key) is None:
                self.report(join(path, json_key), f"missing required field ({cls.__name__})")


# MARK: - apiVersion and kind


def snake(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def resolve_kind(api_version, kind):
    """(model class, namespaced) for apiVersion/kind, or None when the client knows no such object."""
    group, _, version = api_version.rpartition("/")
    version_name = version[:1].upper() + version[1:]
    if group:
        group_name = "".join(part.capitalize() for part in group.removesuffix(".k8s.io").split("."))
    else:
        group_name = "Core"
    api = getattr(kclient, f"{group_name}{version_name}Api", None)
    if api is None:
        return None
    method = snake(kind)
    if hasattr(api, f"create_namespaced_{method}"):
        namespaced = True
    elif hasattr(api, f"create_{method}"):
        namespaced = False
    else:
        return None
    for name in (f"{group_name}{version_name}{kind}", f"{version_name}{kind}"):
        cls = model_class(name)
        if cls is not None and "kind" in cls.attribute_map.values():
            return cls, namespaced
    return None


# MARK: - What the schema cannot say


def dig(value, *keys):
    for key in keys:
        if isinstance(key, int):
            if not isinstance(value, list) or key >= len(value):
                return None
            value = value[key]
        elif isinstance(value, dict):
            value = value.get(key)
        else:
            return None
    return value


def is_base64(text):
    try:
        base64.b64decode(text.replace("\r", "").replace("\n", "").encode("ascii"), validate=True)
        return True
    except (binascii.Error, UnicodeEncodeError):
        return False


def items(value):
    return value if isinstance(value, list) else []


def mapping(value):
    return value if isinstance(value, dict) else {}


class Store:
    """The Secrets and ConfigMaps of all the files, by (kind, namespace, name): their keys."""

    def __init__(self):
        self.objects = {}

    def add(self, doc):
        kind = doc.get("kind")
        if kind == "Secret":
            keys = set(mapping(doc.get("data"))) | set(mapping(doc.get("stringData")))
        elif kind == "ConfigMap":
            keys = set(mapping(doc.get("data"))) | set(mapping(doc.get("binaryData")))
        else:
            return
        metadata = mapping(doc.get("metadata"))
        self.objects[(kind, metadata.get("namespace"), metadata.get("name"))] = keys

    def keys(self, kind, namespace, name):
        return self.objects.get((kind, namespace, name))


POD_SPECS = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
}

VARIABLE = re.compile(r"\$\$|\$\(([^)]*)\)")


def references(text):
    """The names of the $(VAR) references of `text` ($$ escapes a $)."""
    return [match.group(1) for match in VARIABLE.finditer(text) if match.group(1) is not None]


class Semantics:
    def __init__(self, store, report):
        self.store = store
        self.report = report

    def name(self, doc):
        name = dig(doc, "metadata", "name")
        if name is None:
            self.report("metadata.name", "missing: every object needs a name")
        elif isinstance(name, str) and (len(name) > 253 or not DNS_SUBDOMAIN.match(name)):
            self.report("metadata.name", f"{name!r} is not a DNS subdomain (lower case, digits, '-', '.')")
        if doc.get("kind") == "CronJob" and isinstance(name, str) and len(name) > 52:
            self.report("metadata.name", "a CronJob name has at most 52 characters")
        if doc.get("kind") in ("Secret", "ConfigMap"):
            for field in ("data", "stringData", "binaryData"):
                for key, value in mapping(doc.get(field)).items():
                    if not isinstance(key, str) or not CONFIG_KEY.match(key):
                        self.report(join(field, str(key)), "a key has only letters, digits, '-', '_' and '.'")
                    # Base64 in a Secret's data and a ConfigMap's binaryData (older clients type
                    # them as plain strings).
                    encoded = (doc["kind"], field) in (("Secret", "data"), ("ConfigMap", "binaryData"))
                    if encoded and isinstance(value, str) and not is_base64(value):
                        self.report(join(field, str(key)), "not valid base64 (stringData takes plain text)")

    def referenced(self, kind, namespace, name, key, optional, path):
        if optional is True:
            return
        if not isinstance(name, str) or not name:
            self.report(path, f"names no {kind}")
            return
        keys = self.store.keys(kind, namespace, name)
        if keys is None:
            where = f" in namespace {namespace!r}" if namespace else " without a namespace"
            self.report(path, f"{kind} {name!r}{where} is not among the documents checked")
        elif key is not None and key not in keys:
            self.report(path, f"{kind} {name!r} has no key {key!r} (it has: {', '.join(sorted(keys)) or 'none'})")

    def pod(self, spec, path, namespace, indexed):
        if not isinstance(spec, dict):
            return
        volumes = {}
        for index, volume in enumerate(items(spec.get("volumes"))):
            vpath = join(join(path, "volumes"), index)
            name = mapping(volume).get("name")
            if name in volumes:
                self.report(join(vpath, "name"), f"a second volume named {name!r}")
            volumes[name] = volume
            if isinstance(name, str) and not DNS_LABEL.match(name):
                self.report(join(vpath, "name"), f"{name!r} is not a DNS label")
            self.volume(mapping(volume), vpath, namespace)
        containers = []
        for field in ("initContainers", "containers", "ephemeralContainers"):
            for index, container in enumerate(items(spec.get(field))):
                containers.append((join(join(path, field), index), mapping(container)))
        seen = set()
        for cpath, container in containers:
            name = container.get("name")
            if name in seen:
                self.report(join(cpath, "name"), f"a second container named {name!r}")
            seen.add(name)
            if isinstance(name, str) and not DNS_LABEL.match(name):
                self.report(join(cpath, "name"), f"{name!r} is not a DNS label")
            self.container(container, cpath, namespace, indexed, volumes)
        return {container["name"] for _, container in containers if isinstance(container.get("name"), str)}

    def volume(self, volume, path, namespace):
        secret = volume.get("secret")
        if isinstance(secret, dict):
            self.source_items("Secret", namespace, secret.get("secretName"), secret,
                              join(path, "secret"), "secretName")
        config_map = volume.get("configMap")
        if isinstance(config_map, dict):
            self.source_items("ConfigMap", namespace, config_map.get("name"), config_map,
                              join(path, "configMap"), "name")
        for index, source in enumerate(items(dig(volume, "projected", "sources"))):
            spath = join(join(join(path, "projected"), "sources"), index)
            for field, kind in (("secret", "Secret"), ("configMap", "ConfigMap")):
                projection = mapping(source).get(field)
                if isinstance(projection, dict):
                    self.source_items(kind, namespace, projection.get("name"), projection,
                                      join(spath, field), "name")

    def source_items(self, kind, namespace, name, source, path, name_field):
        optional = source.get("optional")
        self.referenced(kind, namespace, name, None, optional, join(path, name_field))
        if self.store.keys(kind, namespace, name) is None:
            return
        for index, item in enumerate(items(source.get("items"))):
            key = mapping(item).get("key")
            if key is not None:
                self.referenced(kind, namespace, name, key, optional, join(join(join(path, "items"), index), "key"))

    def container(self, container, path, namespace, indexed, volumes):
        defined = set()
        for index, source in enumerate(items(container.get("envFrom"))):
            source = mapping(source)
            prefix = source.get("prefix") or ""
            for field, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                ref = source.get(field)
                if isinstance(ref, dict):
                    rpath = join(join(join(path, "envFrom"), index), field)
                    self.referenced(kind, namespace, ref.get("name"), None, ref.get("optional"), join(rpath, "name"))
                    defined |= {prefix + key for key in (self.store.keys(kind, namespace, ref.get("name")) or ())}
        for index, variable in enumerate(items(container.get("env"))):
            variable = mapping(variable)
            epath = join(join(path, "env"), index)
            value = variable.get("value")
            if isinstance(value, str):
                for name in references(value):
                    if name not in defined:
                        self.report(join(epath, "value"),
                                    f"$({name}) is not an environment variable defined above it")
            for field, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                ref = dig(variable, "valueFrom", field)
                if isinstance(ref, dict):
                    self.referenced(kind, namespace, ref.get("name"), ref.get("key"), ref.get("optional"),
                                    join(join(epath, "valueFrom"), field))
            if isinstance(variable.get("name"), str):
                defined.add(variable["name"])
        if indexed:
            # The Job controller adds it to every container, after the container's own env.
            defined.add("JOB_COMPLETION_INDEX")
        for field in ("command", "args"):
            for index, text in enumerate(items(container.get(field))):
                if not isinstance(text, str):
                    continue
                for name in references(text):
                    if name not in defined:
                        hint = " (only an Indexed Job sets it)" if name == "JOB_COMPLETION_INDEX" else ""
                        self.report(join(join(path, field), index),
                                    f"$({name}) is not an environment variable of the container{hint}")
        mounts = set()
        for index, mount in enumerate(items(container.get("volumeMounts"))):
            mount = mapping(mount)
            mpath = join(join(path, "volumeMounts"), index)
            name = mount.get("name")
            if name is not None and name not in volumes:
                self.report(join(mpath, "name"), f"no volume named {name!r} in the pod")
            where = mount.get("mountPath")
            if where in mounts:
                self.report(join(mpath, "mountPath"), f"a second mount at {where!r}")
            mounts.add(where)

    def job(self, spec, path, namespace):
        if not isinstance(spec, dict):
            return
        indexed = spec.get("completionMode") == "Indexed"
        pod_path = join(join(path, "template"), "spec")
        containers = self.pod(dig(spec, "template", "spec"), pod_path, namespace, indexed)
        restart = dig(spec, "template", "spec", "restartPolicy")
        if containers is not None and restart not in ("Never", "OnFailure"):
            self.report(join(pod_path, "restartPolicy"),
                        f"a Job's pods need restartPolicy Never or OnFailure, not {restart or 'the default Always'}")
        completions = spec.get("completions")
        if indexed and completions is None:
            self.report(join(path, "completions"), "an Indexed Job needs completions")
        if spec.get("backoffLimitPerIndex") is not None and not indexed:
            self.report(join(path, "backoffLimitPerIndex"), "only for completionMode Indexed")
        failed = spec.get("maxFailedIndexes")
        if failed is not None:
            if spec.get("backoffLimitPerIndex") is None:
                self.report(join(path, "maxFailedIndexes"), "only with backoffLimitPerIndex")
            if isinstance(failed, int) and isinstance(completions, int) and failed > completions:
                self.report(join(path, "maxFailedIndexes"), f"more than completions ({completions})")
        policy = spec.get("podFailurePolicy")
        if isinstance(policy, dict):
            if restart != "Never":
                self.report(join(path, "podFailurePolicy"), "needs the pods' restartPolicy Never")
            for index, rule in enumerate(items(policy.get("rules"))):
                rpath = join(join(join(path, "podFailurePolicy"), "rules"), index)
                if mapping(rule).get("action") == "FailIndex" and spec.get("backoffLimitPerIndex") is None:
                    self.report(join(rpath, "action"), "FailIndex needs backoffLimitPerIndex")
                name = dig(rule, "onExitCodes", "containerName")
                if name is not None and containers is not None and name not in containers:
                    self.report(join(join(rpath, "onExitCodes"), "containerName"), f"no container named {name!r}")

    def schedule(self, schedule, path):
        if not isinstance(schedule, str):
            return
        problem = cron_problem(schedule)
        if problem:
            self.report(path, f"{schedule!r}: {problem}")

    def document(self, doc):
        self.name(doc)
        kind = doc.get("kind")
        namespace = dig(doc, "metadata", "namespace")
        if kind == "CronJob":
            self.schedule(dig(doc, "spec", "schedule"), "spec.schedule")
            self.job(dig(doc, "spec", "jobTemplate", "spec"), "spec.jobTemplate.spec", namespace)
        elif kind == "Job":
            self.job(doc.get("spec"), "spec", namespace)
        elif kind in POD_SPECS:
            self.pod(dig(doc, *POD_SPECS[kind]), ".".join(POD_SPECS[kind]), namespace, False)


CRON_FIELDS = [
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day of month", 1, 31, None),
    ("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
    ("day of week", 0, 7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
]
CRON_MACROS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}


def cron_problem(schedule):
    """Why `schedule` is not a schedule the CronJob controller takes, or None."""
    text = schedule.strip()
    if text.startswith(("TZ=", "CRON_TZ=")):
        return "a time zone goes in spec.timeZone, not in the schedule"
    if text in CRON_MACROS:
        return None
    fields = text.split()
    if len(fields) != 5:
        return f"{len(fields)} fields, a schedule has 5 (minute hour day-of-month month day-of-week)"
    for text_field, (what, low, high, names) in zip(fields, CRON_FIELDS):
        for part in text_field.split(","):
            base, _, step = part.partition("/")
            if step and not (step.isdigit() and int(step) > 0):
                return f"bad step {step!r} in the {what} field"
            if base in ("*", "?"):
                continue
            bounds = base.split("-")
            if len(bounds) > 2:
                return f"bad range {base!r} in the {what} field"
            for bound in bounds:
                if names and bound.lower() in names:
                    continue
                if not bound.isdigit() or not low <= int(bound) <= high:
                    return f"{bound!r} is outside the {what} field's {low}-{high}"
    return None


# MARK: - Main


def check(files):
    loaded = []
    problems = []
    for path in files:
        try:
            with open(path, encoding="utf-8") as stream:
                docs = list(yaml.load_all(stream, Loader=StrictLoader))
        except (OSError, yaml.YAMLError) as error:
            problems.append(f"{path}: {' '.join(str(error).split())}")
            continue
        loaded += [(path, index, doc) for index, doc in enumerate(docs) if doc is not None]
    store = Store()
    for _, _, doc in loaded:
        if isinstance(doc, dict):
            store.add(doc)
    for path, index, doc in loaded:
        if not isinstance(doc, dict):
            problems.append(f"{path}: document {index + 1}: not a mapping but {describe(doc)}")
            continue
        kind = doc.get("kind")
        name = dig(doc, "metadata", "name")
        label = f"{kind or 'document'} {name if isinstance(name, str) else f'#{index + 1} (no name)'}"
        found = []

        def report(where, what):
            found.append(f"{path}: {label}: {where}: {what}")

        api_version = doc.get("apiVersion")
        if not isinstance(api_version, str) or not isinstance(kind, str):
            report("(document)", "needs apiVersion and kind, both strings")
            problems += found
            continue
        resolved = resolve_kind(api_version, kind)
        if resolved is None:
            report("(document)", f"apiVersion {api_version} kind {kind}: not an object this client's API serves")
            problems += found
            continue
        cls, namespaced = resolved
        walk = SchemaWalk()
        walk.model(doc, cls, "")
        for where, what in walk.problems:
            report(where, what)
        if not namespaced and dig(doc, "metadata", "namespace") is not None:
            report("metadata.namespace", f"{kind} is not namespaced")
        Semantics(store, report).document(doc)
        problems += found
    return len(loaded), problems


def self_test():
    """Refuse to run with a client whose required fields we cannot read (a silent pass otherwise)."""
    container, mount = model_class("V1Container"), model_class("V1VolumeMount")
    if container is None or "name" not in required_fields(container) or \
            {"name", "mount_path"} - required_fields(mount):
        version = getattr(kclient, "__version__", "?")
        print(f"k8s_check: cannot read the required fields of kubernetes client {version}", file=sys.stderr)
        sys.exit(2)


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr if len(argv) < 2 else sys.stdout)
        return 2 if len(argv) < 2 else 0
    self_test()
    count, problems = check(argv[1:])
    if count == 0 and not problems:
        problems.append(f"{', '.join(argv[1:])}: no documents")
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"ok: {count} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
