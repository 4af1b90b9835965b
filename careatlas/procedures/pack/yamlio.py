"""YAML reading and canonical writing for the content pack."""

import yaml

# libyaml's C parser and emitter when PyYAML was built with them (the wheels are): ten times
# faster, and the same documents and the same text (checked on the whole pack). Every test
# that loads the pack, and every revision snapshot, goes through here.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _PackDumper(_SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Prose with line breaks stays readable in git as a literal block.
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_PackDumper.add_representer(str, _represent_str)


def dump_yaml(data: object) -> str:
    return yaml.dump(
        data,
        Dumper=_PackDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100_000,
        default_flow_style=False,
    )


def load_yaml(text: str) -> object:
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader, C or Python
