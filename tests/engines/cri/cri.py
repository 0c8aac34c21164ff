#!/usr/bin/python3
# cri.py - a minimal Kubernetes CRI client (runtime.v1 RuntimeService/ImageService over gRPC) for the CRI suite.
# Must never hold more of the CRI API than the suite uses, nor talk to any socket but the one it is given.
#
# Usage: cri.py --socket PATH [--timeout SECONDS] METHOD [REQUEST-JSON]
#   METHOD is a RuntimeService or ImageService method (Version, RunPodSandbox, ExecSync, ImageStatus, ...);
#   REQUEST-JSON is the request message in proto3 JSON with the proto field names (default {}).
# Prints the response as one JSON object (field names as in api.proto, default values included, bytes fields
# as UTF-8 text) and exits 0; on a gRPC error prints {"code": "DEADLINE_EXCEEDED", "details": "..."} to stdout
# and exits 3; on a usage error exits 2.
#
# The messages are built here as descriptors from the published k8s.io/cri-api runtime/v1 api.proto
# (package runtime.v1), with its field numbers, so no generated code and no protoc are needed; Debian's
# python3-grpcio and python3-protobuf (run by /usr/bin/python3) are the only dependencies.
import argparse
import base64
import json
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

PACKAGE = "runtime.v1"
SSMAP = "map<string,string>"

# enum name -> [(value name, number)]
ENUMS = {
    "NamespaceMode": [("POD", 0), ("CONTAINER", 1), ("NODE", 2), ("TARGET", 3)],
    "PodSandboxState": [("SANDBOX_READY", 0), ("SANDBOX_NOTREADY", 1)],
    "ContainerState": [("CONTAINER_CREATED", 0), ("CONTAINER_RUNNING", 1), ("CONTAINER_EXITED", 2),
                       ("CONTAINER_UNKNOWN", 3)],
    "ProfileType": [("RuntimeDefault", 0), ("Unconfined", 1), ("Localhost", 2)],
}

# message name -> [(field name, number, type)]; type is a scalar, an enum or message name, "repeated T",
# or SSMAP.  Only what the suite sends or reads; numbers as in api.proto.
MESSAGES = {
    "VersionRequest": [("version", 1, "string")],
    "VersionResponse": [("version", 1, "string"), ("runtime_name", 2, "string"), ("runtime_version", 3, "string"),
                        ("runtime_api_version", 4, "string")],
    "StatusRequest": [("verbose", 1, "bool")],
    "RuntimeCondition": [("type", 1, "string"), ("status", 2, "bool"), ("reason", 3, "string"),
                         ("message", 4, "string")],
    "RuntimeStatus": [("conditions", 1, "repeated RuntimeCondition")],
    "StatusResponse": [("status", 1, "RuntimeStatus"), ("info", 2, SSMAP)],
    "DNSConfig": [("servers", 1, "repeated string"), ("searches", 2, "repeated string"),
                  ("options", 3, "repeated string")],
    "NamespaceOption": [("network", 1, "NamespaceMode"), ("pid", 2, "NamespaceMode"), ("ipc", 3, "NamespaceMode"),
                        ("target_id", 4, "string")],
    "Int64Value": [("value", 1, "int64")],
    "UInt64Value": [("value", 1, "uint64")],
    "SecurityProfile": [("profile_type", 1, "ProfileType"), ("localhost_ref", 2, "string")],
    "LinuxSandboxSecurityContext": [("namespace_options", 1, "NamespaceOption"), ("run_as_user", 3, "Int64Value"),
                                    ("readonly_rootfs", 4, "bool"), ("supplemental_groups", 5, "repeated int64"),
                                    ("privileged", 6, "bool"), ("run_as_group", 8, "Int64Value"),
                                    ("seccomp", 9, "SecurityProfile")],
    "LinuxPodSandboxConfig": [("cgroup_parent", 1, "string"), ("security_context", 2, "LinuxSandboxSecurityContext"),
                              ("sysctls", 3, SSMAP)],
    "PodSandboxMetadata": [("name", 1, "string"), ("uid", 2, "string"), ("namespace", 3, "string"),
                           ("attempt", 4, "uint32")],
    "PodSandboxConfig": [("metadata", 1, "PodSandboxMetadata"), ("hostname", 2, "string"),
                         ("log_directory", 3, "string"), ("dns_config", 4, "DNSConfig"), ("labels", 6, SSMAP),
                         ("annotations", 7, SSMAP), ("linux", 8, "LinuxPodSandboxConfig")],
    "RunPodSandboxRequest": [("config", 1, "PodSandboxConfig"), ("runtime_handler", 2, "string")],
    "RunPodSandboxResponse": [("pod_sandbox_id", 1, "string")],
    "StopPodSandboxRequest": [("pod_sandbox_id", 1, "string")],
    "StopPodSandboxResponse": [],
    "RemovePodSandboxRequest": [("pod_sandbox_id", 1, "string")],
    "RemovePodSandboxResponse": [],
    "PodSandboxStatusRequest": [("pod_sandbox_id", 1, "string"), ("verbose", 2, "bool")],
    "PodIP": [("ip", 1, "string")],
    "PodSandboxNetworkStatus": [("ip", 1, "string"), ("additional_ips", 2, "repeated PodIP")],
    "Namespace": [("options", 2, "NamespaceOption")],
    "LinuxPodSandboxStatus": [("namespaces", 1, "Namespace")],
    "PodSandboxStatus": [("id", 1, "string"), ("metadata", 2, "PodSandboxMetadata"), ("state", 3, "PodSandboxState"),
                         ("created_at", 4, "int64"), ("network", 5, "PodSandboxNetworkStatus"),
                         ("linux", 6, "LinuxPodSandboxStatus"), ("labels", 7, SSMAP), ("annotations", 8, SSMAP),
                         ("runtime_handler", 9, "string")],
    "PodSandboxStatusResponse": [("status", 1, "PodSandboxStatus"), ("info", 2, SSMAP)],
    "PodSandboxFilter": [("id", 1, "string"), ("label_selector", 3, SSMAP)],
    "ListPodSandboxRequest": [("filter", 1, "PodSandboxFilter")],
    "PodSandbox": [("id", 1, "string"), ("metadata", 2, "PodSandboxMetadata"), ("state", 3, "PodSandboxState"),
                   ("created_at", 4, "int64"), ("labels", 5, SSMAP), ("runtime_handler", 7, "string")],
    "ListPodSandboxResponse": [("items", 1, "repeated PodSandbox")],
    "ImageSpec": [("image", 1, "string")],
    "KeyValue": [("key", 1, "string"), ("value", 2, "string")],
    "LinuxContainerResources": [("cpu_period", 1, "int64"), ("cpu_quota", 2, "int64"), ("cpu_shares", 3, "int64"),
                                ("memory_limit_in_bytes", 4, "int64"), ("oom_score_adj", 5, "int64"),
                                ("cpuset_cpus", 6, "string"), ("cpuset_mems", 7, "string"),
                                ("memory_swap_limit_in_bytes", 10, "int64")],
    "Capability": [("add_capabilities", 1, "repeated string"), ("drop_capabilities", 2, "repeated string")],
    "LinuxContainerSecurityContext": [("capabilities", 1, "Capability"), ("privileged", 2, "bool"),
                                      ("namespace_options", 3, "NamespaceOption"), ("run_as_user", 5, "Int64Value"),
                                      ("run_as_username", 6, "string"), ("readonly_rootfs", 7, "bool"),
                                      ("supplemental_groups", 8, "repeated int64"), ("no_new_privs", 11, "bool"),
                                      ("run_as_group", 12, "Int64Value"), ("seccomp", 15, "SecurityProfile")],
    "LinuxContainerConfig": [("resources", 1, "LinuxContainerResources"),
                             ("security_context", 2, "LinuxContainerSecurityContext")],
    "ContainerMetadata": [("name", 1, "string"), ("attempt", 2, "uint32")],
    "ContainerConfig": [("metadata", 1, "ContainerMetadata"), ("image", 2, "ImageSpec"),
                        ("command", 3, "repeated string"), ("args", 4, "repeated string"), ("working_dir", 5, "string"),
                        ("envs", 6, "repeated KeyValue"), ("labels", 9, SSMAP), ("annotations", 10, SSMAP),
                        ("log_path", 11, "string"), ("stdin", 12, "bool"), ("stdin_once", 13, "bool"),
                        ("tty", 14, "bool"), ("linux", 15, "LinuxContainerConfig")],
    "CreateContainerRequest": [("pod_sandbox_id", 1, "string"), ("config", 2, "ContainerConfig"),
                               ("sandbox_config", 3, "PodSandboxConfig")],
    "CreateContainerResponse": [("container_id", 1, "string")],
    "StartContainerRequest": [("container_id", 1, "string")],
    "StartContainerResponse": [],
    "StopContainerRequest": [("container_id", 1, "string"), ("timeout", 2, "int64")],
    "StopContainerResponse": [],
    "RemoveContainerRequest": [("container_id", 1, "string")],
    "RemoveContainerResponse": [],
    "ContainerFilter": [("id", 1, "string"), ("pod_sandbox_id", 3, "string"), ("label_selector", 4, SSMAP)],
    "ListContainersRequest": [("filter", 1, "ContainerFilter")],
    "Container": [("id", 1, "string"), ("pod_sandbox_id", 2, "string"), ("metadata", 3, "ContainerMetadata"),
                  ("image", 4, "ImageSpec"), ("image_ref", 5, "string"), ("state", 6, "ContainerState"),
                  ("created_at", 7, "int64"), ("labels", 8, SSMAP)],
    "ListContainersResponse": [("containers", 1, "repeated Container")],
    "ContainerStatusRequest": [("container_id", 1, "string"), ("verbose", 2, "bool")],
    "ContainerStatus": [("id", 1, "string"), ("metadata", 2, "ContainerMetadata"), ("state", 3, "ContainerState"),
                        ("created_at", 4, "int64"), ("started_at", 5, "int64"), ("finished_at", 6, "int64"),
                        ("exit_code", 7, "int32"), ("image", 8, "ImageSpec"), ("image_ref", 9, "string"),
                        ("reason", 10, "string"), ("message", 11, "string"), ("labels", 12, SSMAP),
                        ("annotations", 13, SSMAP), ("log_path", 15, "string")],
    "ContainerStatusResponse": [("status", 1, "ContainerStatus"), ("info", 2, SSMAP)],
    "UpdateContainerResourcesRequest": [("container_id", 1, "string"), ("linux", 2, "LinuxContainerResources")],
    "UpdateContainerResourcesResponse": [],
    "ExecSyncRequest": [("container_id", 1, "string"), ("cmd", 2, "repeated string"), ("timeout", 3, "int64")],
    "ExecSyncResponse": [("stdout", 1, "bytes"), ("stderr", 2, "bytes"), ("exit_code", 3, "int32")],
    "ContainerStatsRequest": [("container_id", 1, "string")],
    "ContainerAttributes": [("id", 1, "string"), ("metadata", 2, "ContainerMetadata"), ("labels", 3, SSMAP)],
    "CpuUsage": [("timestamp", 1, "int64"), ("usage_core_nano_seconds", 2, "UInt64Value"),
                 ("usage_nano_cores", 3, "UInt64Value")],
    "MemoryUsage": [("timestamp", 1, "int64"), ("working_set_bytes", 2, "UInt64Value"),
                    ("available_bytes", 3, "UInt64Value"), ("usage_bytes", 4, "UInt64Value"),
                    ("rss_bytes", 5, "UInt64Value"), ("page_faults", 6, "UInt64Value"),
                    ("major_page_faults", 7, "UInt64Value")],
    "FilesystemIdentifier": [("mountpoint", 1, "string")],
    "FilesystemUsage": [("timestamp", 1, "int64"), ("fs_id", 2, "FilesystemIdentifier"),
                        ("used_bytes", 3, "UInt64Value"), ("inodes_used", 4, "UInt64Value")],
    "ContainerStats": [("attributes", 1, "ContainerAttributes"), ("cpu", 2, "CpuUsage"), ("memory", 3, "MemoryUsage"),
                       ("writable_layer", 4, "FilesystemUsage")],
    "ContainerStatsResponse": [("stats", 1, "ContainerStats")],
    "Image": [("id", 1, "string"), ("repo_tags", 2, "repeated string"), ("repo_digests", 3, "repeated string"),
              ("size", 4, "uint64"), ("uid", 5, "Int64Value"), ("username", 6, "string")],
    "ImageStatusRequest": [("image", 1, "ImageSpec"), ("verbose", 2, "bool")],
    "ImageStatusResponse": [("image", 1, "Image"), ("info", 2, SSMAP)],
    "ListImagesRequest": [],
    "ListImagesResponse": [("images", 1, "repeated Image")],
}

# method -> (service, request, response); the request and response are <Method>Request/<Method>Response.
RUNTIME_METHODS = ["Version", "Status", "RunPodSandbox", "StopPodSandbox", "RemovePodSandbox", "PodSandboxStatus",
                   "ListPodSandbox", "CreateContainer", "StartContainer", "StopContainer", "RemoveContainer",
                   "ListContainers", "ContainerStatus", "UpdateContainerResources", "ExecSync", "ContainerStats"]
IMAGE_METHODS = ["ImageStatus", "ListImages"]

SCALARS = {
    "string": descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
    "bytes": descriptor_pb2.FieldDescriptorProto.TYPE_BYTES,
    "bool": descriptor_pb2.FieldDescriptorProto.TYPE_BOOL,
    "int32": descriptor_pb2.FieldDescriptorProto.TYPE_INT32,
    "int64": descriptor_pb2.FieldDescriptorProto.TYPE_INT64,
    "uint32": descriptor_pb2.FieldDescriptorProto.TYPE_UINT32,
    "uint64": descriptor_pb2.FieldDescriptorProto.TYPE_UINT64,
}


def map_entry(msg, field_name):
    """The nested MapEntry type a map<string,string> field needs; returns its name."""
    entry = msg.nested_type.add()
    entry.name = "".join(p.capitalize() for p in field_name.split("_")) + "Entry"
    entry.options.map_entry = True
    for name, number in (("key", 1), ("value", 2)):
        f = entry.field.add()
        f.name, f.number = name, number
        f.type = SCALARS["string"]
        f.label = descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
    return entry.name


def build_classes():
    """The message classes of the file descriptor made from ENUMS and MESSAGES."""
    fdp = descriptor_pb2.FileDescriptorProto(name="hull-cri-api.proto", package=PACKAGE, syntax="proto3")
    for name, values in ENUMS.items():
        e = fdp.enum_type.add(name=name)
        for vname, number in values:
            e.value.add(name=vname, number=number)
    for name, fields in MESSAGES.items():
        msg = fdp.message_type.add(name=name)
        for fname, number, ftype in fields:
            f = msg.field.add(name=fname, number=number)
            f.label = descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
            if ftype == SSMAP:
                f.label = descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
                f.type = descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE
                f.type_name = ".%s.%s.%s" % (PACKAGE, name, map_entry(msg, fname))
                continue
            if ftype.startswith("repeated "):
                f.label = descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
                ftype = ftype[len("repeated "):]
            if ftype in SCALARS:
                f.type = SCALARS[ftype]
            elif ftype in ENUMS:
                f.type = descriptor_pb2.FieldDescriptorProto.TYPE_ENUM
                f.type_name = ".%s.%s" % (PACKAGE, ftype)
            elif ftype in MESSAGES:
                f.type = descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE
                f.type_name = ".%s.%s" % (PACKAGE, ftype)
            else:
                raise ValueError("%s.%s: unknown type %s" % (name, fname, ftype))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    # GetMessageClass is protobuf >= 4.22; Debian 12 has 4.21, which has the factory only
    get = getattr(message_factory, "GetMessageClass", None) or message_factory.MessageFactory(pool).GetPrototype
    return {name: get(pool.FindMessageTypeByName("%s.%s" % (PACKAGE, name))) for name in MESSAGES}


def to_json(msg):
    """The response as a dict: proto field names, defaults included, top-level bytes fields as text."""
    out = json_format.MessageToDict(msg, preserving_proto_field_name=True, including_default_value_fields=True)
    for field in msg.DESCRIPTOR.fields:
        if field.type == field.TYPE_BYTES and field.name in out:
            out[field.name] = base64.b64decode(out[field.name]).decode("utf-8", "replace")
    return out


def main():
    ap = argparse.ArgumentParser(description="minimal CRI (runtime.v1) client")
    ap.add_argument("--socket", required=True, help="path of the CRI unix socket")
    ap.add_argument("--timeout", type=float, default=60, help="deadline of the call in seconds")
    ap.add_argument("method", choices=RUNTIME_METHODS + IMAGE_METHODS)
    ap.add_argument("request", nargs="?", default="{}", help="the request message as JSON")
    args = ap.parse_args()

    classes = build_classes()
    req_cls = classes[args.method + "Request"]
    resp_cls = classes[args.method + "Response"]
    try:
        req = json_format.Parse(args.request, req_cls())
    except json_format.ParseError as e:
        print("cri.py: %s request: %s" % (args.method, e), file=sys.stderr)
        return 2
    service = "RuntimeService" if args.method in RUNTIME_METHODS else "ImageService"
    with grpc.insecure_channel("unix://" + args.socket) as channel:
        call = channel.unary_unary("/%s.%s/%s" % (PACKAGE, service, args.method),
                                   request_serializer=req_cls.SerializeToString,
                                   response_deserializer=resp_cls.FromString)
        try:
            resp = call(req, timeout=args.timeout)
        except grpc.RpcError as e:
            print(json.dumps({"code": e.code().name, "details": e.details()}))
            return 3
    print(json.dumps(to_json(resp), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
