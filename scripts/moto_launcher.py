#!/usr/bin/env python3
"""Runs moto's server (IAM, STS, EKS, ...) in this process, with EKS patched to behave like AWS.

moto gives every EKS cluster of a process the same OIDC issuer, chosen once at import, and a random
non-PEM certificate authority. This launcher patches ``moto.eks.models.Cluster`` so that each
cluster's ``identity.oidc.issuer`` is, in this order:

  (a) the value of the cluster tag ``operator-setup.test/issuer`` given to CreateCluster,
  (b) the ``FAKE_EKS_ISSUER`` environment variable,
  (c) a per-cluster random ``https://oidc.eks.<region>.amazonaws.com/id/<32 upper-case hex>``,
      as real EKS makes it.

The endpoint and certificate authority can be chosen the same way: tag
``operator-setup.test/endpoint`` or ``FAKE_EKS_ENDPOINT``; tag ``operator-setup.test/ca`` (base64
PEM), ``FAKE_EKS_CA`` (base64 PEM) or ``FAKE_EKS_CA_FILE`` (a PEM file).

Usage:
  moto_launcher.py [--host 127.0.0.1] [--port 5055] [--port-file FILE]
  moto_launcher.py --check      print moto's version and whether AmazonSageMakerFullAccess is loaded

With ``--port 0`` the system picks a free port. Once the server accepts connections the launcher
prints ``moto_launcher: listening on http://HOST:PORT`` on stdout and writes the URL to the port
file, if one was given. It exits 3 when moto cannot be imported.
"""

import argparse
import base64
import os
import signal
import sys
import uuid

ISSUER_TAG = "operator-setup.test/issuer"
ENDPOINT_TAG = "operator-setup.test/endpoint"
CA_TAG = "operator-setup.test/ca"

# AWS managed policies (AmazonSageMakerFullAccess among them) are not loaded unless asked for.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")


def _import_moto():
    try:
        import moto  # noqa: F401
        import moto.eks.models  # noqa: F401
        from moto.moto_server.werkzeug_app import (  # noqa: F401
            DomainDispatcherApplication,
            create_backend_app,
        )
    except ImportError as e:
        print(
            f"moto_launcher: cannot import moto[server] ({e}); install it with"
            " \"python3 -m pip install 'moto[server]>=5.2,<5.3'\" or run scripts/moto start",
            file=sys.stderr,
        )
        sys.exit(3)


def _ca_from_env():
    data = os.environ.get("FAKE_EKS_CA")
    if data:
        return data
    path = os.environ.get("FAKE_EKS_CA_FILE")
    if path:
        with open(path, "rb") as f:
            return base64.b64encode(f.read()).decode("ascii")
    return None


def _fake_ca(region, name):
    # Not a real CA, but a well-formed base64 PEM, as DescribeCluster returns it.
    body = base64.b64encode(f"operator-setup fake CA for {region}/{name}".encode()).decode()
    pem = f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"
    return base64.b64encode(pem.encode()).decode("ascii")


def patch_eks():
    """Wraps Cluster.__init__ so every cluster gets its own issuer, endpoint and CA."""
    import moto.eks.models as eks

    if getattr(eks.Cluster, "_operator_setup_patched", False):
        return
    original_init = eks.Cluster.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        tags = getattr(self, "tags", None) or {}
        region = kwargs.get("region_name") or self.arn.split(":")[3]
        suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
        issuer = (
            tags.get(ISSUER_TAG)
            or os.environ.get("FAKE_EKS_ISSUER")
            or f"https://oidc.eks.{region}.{suffix}/id/{uuid.uuid4().hex.upper()}"
        )
        self.identity = {"oidc": {"issuer": issuer}}
        self.endpoint = (
            tags.get(ENDPOINT_TAG)
            or os.environ.get("FAKE_EKS_ENDPOINT")
            or f"https://{uuid.uuid4().hex.upper()}.gr7.{region}.eks.{suffix}"
        )
        self.certificate_authority = {
            "data": tags.get(CA_TAG) or _ca_from_env() or _fake_ca(region, self.name)
        }

    eks.Cluster.__init__ = init
    eks.Cluster._operator_setup_patched = True


def check():
    import moto
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    loaded = '"AmazonSageMakerFullAccess"' in aws_managed_policies_data
    print(f"moto {moto.__version__}; AmazonSageMakerFullAccess bundled: {loaded}")
    return 0 if loaded else 1


def serve(host, port, port_file):
    from werkzeug.serving import make_server

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        create_backend_app,
    )

    patch_eks()
    os.environ.setdefault("MOTO_PORT", str(port))
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(host, port, app, threaded=True)
    bound_port = server.server_address[1]
    os.environ["MOTO_PORT"] = str(bound_port)
    url = f"http://{host}:{bound_port}"

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if port_file:
        tmp = port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(url + "\n")
        os.replace(tmp, port_file)
    print(f"moto_launcher: listening on {url}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        if port_file and os.path.exists(port_file):
            os.remove(port_file)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("MOTO_PORT", "5055")))
    parser.add_argument("--port-file", default=None)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    _import_moto()
    if args.check:
        return check()
    return serve(args.host, args.port, args.port_file)


if __name__ == "__main__":
    sys.exit(main())
