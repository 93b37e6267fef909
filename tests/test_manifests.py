"""Images and versions from manifests shaped like Helm output, and hostile YAML kept harmless."""

from __future__ import annotations

import json
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from gimlet_tui.cli import main
from gimlet_tui.gitops import GitopsRepo, read_history
from gimlet_tui.gitops.manifests import MAX_FILE_BYTES, MAX_NODES, UNCOUNTED_BYTES, combine, count_nodes, read_file
from gimlet_tui.gitops.yaml_nodes import YAMLError, compose_all

HELM = b"""---
# Source: onechart/templates/serviceaccount.yaml
---
# Source: onechart/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    helm.sh/chart: onechart-0.62.0
    app.kubernetes.io/version: "1.4.2"
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: acme/migrate:1.4.2
      containers:
        - name: api
          image: acme/api:1.4.2
        - name: sidecar
          image: envoyproxy/envoy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
---
# Source: onechart/templates/cronjob.yaml
apiVersion: batch/v1
kind: CronJob
metadata: {name: cleanup}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: cleanup, image: "acme/cleanup:7"}]
---
apiVersion: v1
kind: List
items:
  - kind: Pod
    metadata: {name: debug}
    spec: {containers: [{name: sh, image: busybox}]}
  - kind: StatefulSet
    metadata: {name: db}
    spec: {template: {spec: {containers: [{name: pg, image: postgres:16}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {ports: [{port: 80}]}
"""


def read_deployed(files):
    """What an app folder of these files runs (as the history walk reads it)."""
    return combine(read_file(name, data) for name, data in files)


def test_helm_shaped_output():
    deployed = read_deployed([("all.yaml", HELM)])
    assert [(i.image, i.workload, i.container, i.init) for i in deployed.images] == [
        ("acme/migrate:1.4.2", "Deployment/api", "migrate", True),
        ("acme/api:1.4.2", "Deployment/api", "api", False),
        (
            "envoyproxy/envoy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "Deployment/api",
            "sidecar",
            False,
        ),
        ("acme/cleanup:7", "CronJob/cleanup", "cleanup", False),
        ("busybox", "Pod/debug", "sh", False),
        ("postgres:16", "StatefulSet/db", "pg", False),
    ]
    assert deployed.main_image.image == "acme/api:1.4.2" and deployed.main_image.tag == "1.4.2"
    assert deployed.images[2].tag == "@sha256:0123456789ab" and deployed.images[4].tag == "latest"
    assert (deployed.chart, deployed.app_version, deployed.problem) == ("onechart-0.62.0", "1.4.2", None)


def test_anchors_and_aliases_of_real_values_work():
    text = b"x: &img acme/api:2\nkind: Pod\nspec: {containers: [{name: a, image: *img}]}\n"
    assert read_deployed([("a.yaml", text)]).main_image.image == "acme/api:2"


def test_broken_yaml_keeps_what_could_be_read():
    text = b"kind: Pod\nspec: {containers: [{name: a, image: ok:1}]}\n---\nkind: Pod\nspec:\n\tcontainers: []\n"
    deployed = read_deployed(
        [("a.yaml", text), ("b.yaml", b"kind: Pod\nspec: {containers: [{name: b, image: fine:2}]}\n")]
    )
    assert [i.image for i in deployed.images] == ["ok:1", "fine:2"]
    assert deployed.problem == "a.yaml: line 6: found character that cannot start any token"


def test_non_kubernetes_documents_and_odd_shapes():
    text = b"- just\n- a list\n---\n42\n---\nkind: Deployment\nspec: nonsense\n---\nkind: Pod\nspec: {containers: [{image: [1, 2]}, {name: x}]}\n"
    deployed = read_deployed([("odd.yaml", text)])
    assert deployed.images == () and deployed.problem is None


def _kilobytes(field: str) -> int:
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith(field)).split()[1])


def _bounded(call, seconds=2.0, megabytes=100):
    # The peak is reset first (Linux: 5 to clear_refs), so the growth is measured from now and not
    # hidden under a higher peak an earlier test in this process left (ru_maxrss never goes down).
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    before = _kilobytes("VmRSS:")
    start = time.perf_counter()
    result = call()
    assert time.perf_counter() - start < seconds
    assert (_kilobytes("VmHWM:") - before) / 1024 < megabytes
    return result


def test_billion_laughs_is_bounded():
    lines = [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefghi", "bcdefghij", strict=False):
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]".encode())
    lines.append(b"kind: Pod\nspec: {containers: [{name: x, image: *j}, {name: y, image: safe:1}]}")
    deployed = _bounded(lambda: read_deployed([("laughs.yaml", b"\n".join(lines) + b"\n")]))
    assert [i.image for i in deployed.images] == ["safe:1"]


def test_python_tags_construct_nothing(tmp_path):
    marker = tmp_path / "pwned"
    text = (
        f"!!python/object/apply:os.system ['touch {marker}']\n---\n"
        f"kind: Pod\nspec: {{containers: [{{name: a, image: !!python/object/apply:os.system ['touch {marker}']}}, {{name: b, image: ok:1}}]}}\n"
    ).encode()
    deployed = read_deployed([("evil.yaml", text)])
    assert not marker.exists()
    assert [i.image for i in deployed.images] == ["ok:1"]  # the tagged sequence is no image, and nothing ran


def test_huge_and_deep_files_are_refused_quickly():
    huge = b"kind: Pod\n" + b"# padding\n" * (MAX_FILE_BYTES // 10 + 1)
    assert "larger than" in _bounded(lambda: read_deployed([("huge.yaml", huge)])).problem
    deep = b"[" * 5000 + b"]" * 5000
    assert _bounded(lambda: read_deployed([("deep.yaml", deep)])).problem is not None


def test_images_in_history_and_json(make_repo, capsys):
    b = make_repo()
    b.writer.deploy("staging", "api", {"deployment.yaml": HELM.decode()}, {"sha": "1" * 40}, b.tick())
    b.writer.deploy(
        "staging", "api", {"deployment.yaml": HELM.decode().replace("1.4.2", "1.5.0")}, {"sha": "2" * 40}, b.tick()
    )
    entries = read_history(GitopsRepo.open(str(b.path)), "staging", "api")
    assert [e.deployed.main_image.image for e in entries] == ["acme/api:1.5.0", "acme/api:1.4.2"]
    assert main(["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api", "-o", "json"]) == 0
    releases = json.loads(capsys.readouterr().out)
    assert releases[0]["images"][:2] == ["acme/migrate:1.5.0", "acme/api:1.5.0"]


def test_a_document_of_too_many_nodes_is_refused_by_its_count():
    many = b"kind: Pod\nspec: {containers: [{name: x, image: a:1}]}\nitems: [" + b"a," * MAX_NODES + b"a]\n"
    assert len(many) >= UNCOUNTED_BYTES
    deployed = read_file("many.yaml", many)
    assert (
        deployed.images == ()
        and deployed.problem == f"many.yaml: a document with more than {MAX_NODES:,} nodes, not read"
    )


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="?-:[]{},&*!a #'\"\n|>", max_size=40))
def test_a_file_too_small_to_be_counted_cannot_hold_too_many_nodes(text):
    """The bound behind UNCOUNTED_BYTES: fewer than 4 nodes per character, whatever the syntax."""
    try:
        documents = list(compose_all(text.encode()))
    except (YAMLError, RecursionError):
        return
    nodes = sum(count_nodes(document) for document in documents if document is not None)
    assert nodes <= 2 * len(text.encode()) + 2
    assert UNCOUNTED_BYTES * 4 <= MAX_NODES


def test_manifests_read_the_text_of_values_whatever_type_it_looks_like():
    text = b"kind: Pod\nspec:\n  containers:\n    - name: 2024-01-01\n      image: 1.5\n    - name: yes\n      image: null\n"
    deployed = read_file("typed.yaml", text)
    assert [(i.image, i.container) for i in deployed.images] == [("1.5", "2024-01-01"), ("null", "yes")]
    (untyped,) = compose_all(b"a: 1.5\n", typed=False)
    (typed,) = compose_all(b"a: 1.5\n")
    assert [v.tag for _, v in untyped.value] == ["tag:yaml.org,2002:str"]
    assert [v.tag for _, v in typed.value] == ["tag:yaml.org,2002:float"]
