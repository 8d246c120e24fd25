#!/usr/bin/env python3
"""Oracle for the differential test of the proxy's AWS CLI parser (AwsDifferentialTest).

Answers, for a call_aws ``cli_command`` (a string or a list of strings), which AWS API calls the
awslabs.aws-api-mcp-server would make: service, operation, parameters and region of each, or why
the server would refuse the command. No request leaves the process.

How the server treats a command (read from awslabs/mcp, src/aws-api-mcp-server, core/aws/service.py,
core/aws/driver.py, core/parser/parser.py; this file restates it, it does not import or copy it):

1. ``--region *`` (the regular expression ``--region\\s+\\*`` followed by white space or the end,
   searched in the raw text, quotes included) asks account:ListRegions and runs the command once per
   enabled region, each copy with every match replaced by ``--region <region>``.
2. Each copy is split with shlex; a word that is exactly a shell operator (``&&``, ``||``, ``=``,
   ``+=``...) refuses it; the first word must be ``aws``; ``~`` is expanded in every word.
3. The global options are read with awscli's own main parser (argparse: prefixes, ``=``, last one
   wins); ``configure`` and ``history`` are refused.
4. An API operation is read with the operation's own argument table (unknown options, missing
   required ones and stray words refuse it); the parameters are built by awscli's
   ``_build_call_parameters`` only, so ``--cli-input-json`` and ``--generate-cli-skeleton`` are
   ignored; ``--debug``, ``--no-verify-ssl`` and ``--no-sign-request`` are refused; the region is
   ``--region``, else the region of the first ARN among the parameters, else ``AWS_REGION``, else
   the profile's region, else us-east-1, and a few global services are pinned to one region. The
   server then calls boto3 itself (a paginator when the operation pages).
5. A customization (``aws s3 cp``, ``aws eks get-token``, ...) is checked against the server's list
   of allowed customizations and its argument table, then run by awscli's own driver on the words
   of the text (after step 1 only), with ``--profile <server profile>`` appended unless a word is
   exactly ``--profile``; the driver's region comes from ``--region``, else ``AWS_DEFAULT_REGION``.

Here steps 2-4 run with awscli's classes in this process; the boto3 call of step 4 is recorded at
botocore's ``before-call`` event and stopped there. Step 5 runs the real driver in a forked child
under moto's ``mock_aws`` (state prepared from the command's S3 paths and cluster names) so that a
customization goes on after its first call and shows every call it makes.

Protocol: one JSON object per input line, one JSON object per output line, in order.
  {"id": 1, "cli_command": "aws s3 ls"}            -> {"id": 1, "items": [...]}
  {"id": 2, "op": "services"}                      -> {"id": 2, "services": [...]}
  {"id": 3, "op": "catalog", "services": ["eks"]}  -> {"id": 3, "catalog": {...}}
Nothing else is written to standard output: everything the CLI prints is captured, and file
descriptor 1 is pointed at standard error for the life of the process.
"""

import argparse
import contextlib
import io
import json
import os
import re
import select
import shlex
import signal
import sys
import tempfile
import time
import traceback

PROTOCOL = os.fdopen(os.dup(1), 'w', encoding='utf-8', buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr

# What the fake account answers to account:ListRegions (ENABLED / ENABLED_BY_DEFAULT ones).
ENABLED_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2']
# Regions a few global services are pinned to by the server (core/aws/regions.py).
PINNED_REGIONS = {
    'devicefarm': 'us-west-2', 'ecr-public': 'us-east-1', 'globalaccelerator': 'us-west-2',
    'marketplace-catalog': 'us-east-1', 'route53-recovery-control-config': 'us-west-2',
    'route53-recovery-readiness': 'us-west-2', 'route53domains': 'us-east-1',
    'sagemaker-geospatial': 'us-west-2',
}
# Customizations the server runs (its ALLOWED_CUSTOM_OPERATIONS, unrestricted file access).
ALLOWED_CUSTOM = {
    's3': {'ls', 'website', 'sync', 'cp', 'mv', 'rm', 'mb', 'rb', 'presign'},
    'cloudformation': {'package', 'deploy'}, 'cloudfront': {'sign'}, 'cloudtrail': {'validate-logs'},
    'codeartifact': {'login'}, 'codecommit': {'credential-helper'},
    'datapipeline': {'list-runs', 'create-default-roles'}, 'dlm': {'create-default-role'},
    'ecr': {'get-login', 'get-login-password'}, 'ecr-public': {'get-login-password'}, 'ecs': {'deploy'},
    'eks': {'update-kubeconfig', 'get-token'},
    'emr': {'add-instance-groups', 'describe-cluster', 'terminate-clusters', 'modify-cluster-attributes',
            'install-applications', 'create-cluster', 'add-steps', 'restore-from-hbase-backup',
            'create-hbase-backup', 'schedule-hbase-backup', 'disable-hbase-backups', 'create-default-roles'},
    'emr-containers': {'update-role-trust-policy'}, 'gamelift': {'upload-build', 'get-game-session-log'},
    'rds': {'generate-db-auth-token'}, 'servicecatalog': {'generate'},
    'deploy': {'push', 'register', 'deregister'}, 'configservice': {'subscribe', 'get-status'},
}
SHELL_OPERATORS = {'&&', '||', '=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|='}
REGION_WILDCARD = re.compile(r'--region\s+\*(?=\s|$)')
PROFILE_IN_TEXT = re.compile(r'--profile\s+(?!--)(\S+)')
ARN = re.compile(r'^(arn:(?:aws|aws-cn|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-us-gov):[\w\d-]+:([\w\d-]*)'
                 r':\d{0,12}:[\w\d-]*\/?[\w\d-]*)(\/.*)?.*$')
IGNORED_BY_SERVER = ('cli-input-json', 'generate-cli-skeleton')
TIMEOUT_SECONDS = float(os.environ.get('ORACLE_TIMEOUT_SECONDS', '20'))
KNOWN_PROFILES = ('default', 'mcp-server', 'readonly', 'admin')


def _prepare_environment():
    """Fake credentials and profiles in a private directory; the CLI never sees the real ~/.aws."""
    home = tempfile.mkdtemp(prefix='aws-oracle-')
    aws = os.path.join(home, '.aws')
    os.makedirs(aws)
    with open(os.path.join(aws, 'credentials'), 'w') as f:
        for p in KNOWN_PROFILES:
            f.write(f'[{p}]\naws_access_key_id = AKIAORACLE{p.upper().replace("-", "")[:8]}\n'
                    'aws_secret_access_key = oracle-secret\n')
    with open(os.path.join(aws, 'config'), 'w') as f:
        for p in KNOWN_PROFILES:
            f.write('[default]\n' if p == 'default' else f'[profile {p}]\n')
    work = os.path.join(home, 'work')
    os.makedirs(os.path.join(work, 'dir', 'sub'))
    os.makedirs(os.path.join(work, 'app'))
    for name in ('local.txt', 'dir/a.txt', 'dir/sub/b.txt', 'artifact.zip', 'build.zip', 'app/appspec.yml', 'appspec.yml'):
        with open(os.path.join(work, name), 'w') as f:
            f.write('oracle\n')
    with open(os.path.join(work, 'template.yaml'), 'w') as f:
        f.write('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n'
                '  Code:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: dir\n'
                '      Handler: a.handler\n      Role: arn:aws:iam::123456789012:role/r\n      Runtime: python3.12\n')
    with open(os.path.join(work, 'params.json'), 'w') as f:
        f.write('{}')
    os.environ.update({
        'HOME': home, 'AWS_CONFIG_FILE': os.path.join(aws, 'config'),
        'AWS_SHARED_CREDENTIALS_FILE': os.path.join(aws, 'credentials'),
        'KUBECONFIG': os.path.join(home, 'kubeconfig'), 'AWS_MAX_ATTEMPTS': '1', 'AWS_RETRY_MODE': 'standard',
        'AWS_PAGER': '', 'AWS_EC2_METADATA_DISABLED': 'true', 'MOTO_ALLOW_NONEXISTENT_REGION': 'true',
    })
    for name in ('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'):
        os.environ.pop(name, None)
    os.chdir(work)


_prepare_environment()

import boto3  # noqa: E402  (after the environment is set)
import botocore.session  # noqa: E402
from botocore.validate import ParamValidator  # noqa: E402
import jmespath  # noqa: E402
from awscli import clidriver  # noqa: E402
from awscli.argparser import ArgTableArgParser, CommandAction, MainArgParser  # noqa: E402
from moto import mock_aws  # noqa: E402

SERVER_PROFILE = os.environ.get('AWS_API_MCP_PROFILE_NAME') or None
SERVER_REGION = os.environ.get('AWS_REGION') or None


class Refused(Exception):
    """The server would not run the command; ``stage`` says which of its checks stops it."""

    def __init__(self, stage, message):
        super().__init__(message)
        self.stage = stage


class _GlobalParser(MainArgParser):
    """awscli's main parser as the server builds it: --version is a plain option, errors refuse."""

    def _build(self, command_table, version_string, argument_table):  # noqa: ARG002
        for argument in argument_table.values():
            argument.add_to_parser(self)
        self.add_argument('--version')
        self.add_argument('command', action=CommandAction, command_table=command_table)

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            raise Refused('global-args', f'invalid choice {value!r} for {action.dest}')
        return super()._check_value(action, value)

    def error(self, message):
        raise Refused('global-args', message)


class _TableParser(ArgTableArgParser):
    """An operation's argument table read as the server reads it: argparse problems are collected
    (error() returns), except a wrong number of values or a value of the wrong type, which refuse."""

    def error(self, message):
        pass

    def _get_values(self, action, arg_strings):
        if action.option_strings or arg_strings:
            self.seen.append(action)
        return super()._get_values(action, arg_strings)

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as e:
            raise Refused('argument-type', str(e)) from e

    def _match_argument(self, action, pattern):
        try:
            return super()._match_argument(action, pattern)
        except argparse.ArgumentError as e:
            raise Refused('argument-count', str(e)) from e

    def read(self, words):
        self.seen = []
        ns, leftover = self.parse_known_args(words)
        options = [a.option_strings[0] for a in self._actions if a.option_strings]
        unknown = [w for w in leftover if w.startswith('-') and w not in options
                   and not any(o.startswith(w) for o in options)]
        if unknown:
            raise Refused('unknown-parameters', 'unknown parameters ' + ', '.join(sorted(unknown)))
        required = {a.option_strings[0] for a in self._actions if a.option_strings and a.required}
        positional = {a.dest for a in self._actions
                      if not a.option_strings and a.nargs and a.nargs not in ('?', '*')}
        missing = [n for n, v in vars(ns).items() if v is None
                   and ('--' + n.replace('_', '-') in required or n in positional)]
        if missing:
            raise Refused('missing-parameters', 'missing ' + ', '.join(missing))
        stray = [w for w in leftover if not w.startswith('-')]
        if stray:
            raise Refused('unknown-arguments', 'unexpected ' + ', '.join(stray))
        return ns


DRIVER = clidriver.create_clidriver()
COMMANDS = DRIVER._get_command_table()
GLOBALS = _GlobalParser(COMMANDS, DRIVER.session.user_agent(), None, DRIVER._get_argument_table(), prog='aws')
DRIVER._add_aliases(COMMANDS, GLOBALS)
BOTO = boto3.Session()
MOTO = mock_aws()
MOTO.start()


# ---------------------------------------------------------------- recording API calls

class Recorder:
    """Collects every API call a botocore client builds: parameters at provide-client-params,
    then whether it was sent (before-call) or only signed (before-sign without a send: presign)."""

    def __init__(self, stop_at_send):
        self.calls = []
        self.stop_at_send = stop_at_send

    def attach(self, events):
        events.register('provide-client-params', self._params)
        events.register('before-call', self._send)
        events.register('before-sign', self._sign)

    def _params(self, params, model, context, **_):
        call = {'service': model.service_model.service_name,
                'signingName': model.service_model.signing_name,
                'endpointPrefix': model.service_model.endpoint_prefix,
                'operation': model.name, 'region': context.get('client_region'),
                'params': _plain(params), 'sent': False, 'signed': False}
        context['oracle_call'] = len(self.calls)
        self.calls.append(call)

    def _send(self, model, context, **_):
        call = self._for(context)
        if call is not None:
            call['sent'] = True
            signing = context.get('signing') or {}
            if signing.get('region'):
                call['signingRegion'] = signing['region']
        if self.stop_at_send:
            raise _Stop()

    def _sign(self, request, region_name=None, signing_name=None, operation_name=None, **_):
        context = getattr(request, 'context', None) or {}
        call = self._for(context)
        if call is None:  # signed without a client call: a token such as rds generate-db-auth-token
            call = {'service': signing_name, 'signingName': signing_name, 'endpointPrefix': signing_name,
                    'operation': operation_name, 'region': region_name, 'params': {}, 'sent': False}
            self.calls.append(call)
        call['signed'] = True
        if region_name:
            call['signingRegion'] = region_name
            call['region'] = call.get('region') or region_name

    def _for(self, context):
        i = context.get('oracle_call') if isinstance(context, dict) else None
        return self.calls[i] if i is not None and i < len(self.calls) else None

    def made(self):
        """Calls sent, or signed for a URL or token (presign); not the ones that failed validation."""
        out = []
        for c in self.calls:
            if c['sent'] or c['signed']:
                c = dict(c)
                c['kind'] = 'call' if c.pop('sent') else 'presign'
                c.pop('signed')
                out.append(c)
        return out


class _Stop(Exception):
    pass


def _plain(value, depth=0):
    if depth > 20:
        return '...'
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (bytes, bytearray)):
        try:
            return value.decode('utf-8')
        except UnicodeDecodeError:
            return f'<{len(value)} bytes>'
    return f'<{type(value).__name__}>'


# ---------------------------------------------------------------- the server's reading

def _region_from_arn(parameters):
    for value in parameters.values():
        if isinstance(value, str):
            m = ARN.match(value)
            if m and m.group(2):
                return m.group(2)
    return None


def _default_region(profile):
    if SERVER_REGION:
        return SERVER_REGION
    return boto3.Session(profile_name=profile).region_name if profile else BOTO.region_name or 'us-east-1'


def _check_globals(g):
    denied = [n for n, bad in (('--debug', g.debug), ('--no-verify-ssl', not g.verify_ssl),
                               ('--no-sign-request', not g.sign_request)) if bad]
    if denied:
        raise Refused('denied-global-args', ', '.join(denied))


def _check_endpoint_and_query(g):
    endpoint = getattr(g, 'endpoint_url', None)
    if endpoint:
        import ipaddress
        from urllib.parse import urlparse
        try:
            url = urlparse(endpoint if '://' in endpoint else 'http://' + endpoint)
            url.port
            host = '127.0.0.1' if url.hostname == 'localhost' else url.hostname
            if not host or not ipaddress.ip_address(host).is_loopback:
                raise ValueError(host)
        except ValueError as e:
            raise Refused('endpoint', f'endpoint {endpoint} is not a loopback address ({e})') from e
    if getattr(g, 'query', None) is not None:
        try:
            jmespath.compile(g.query)
        except Exception as e:  # noqa: BLE001  (any JMESPath error refuses)
            raise Refused('query', str(e)) from e


def _is_help(values):
    return any(str(v).lower() in ('help', '--help') for v in values)


def _bound(parser, ns):
    """The CLI arguments the words gave, by CLI name: a string, a list of strings or true.

    Only actions argparse took count (never a default). Options that share a destination
    (--dry-run / --no-dry-run) are decided by the last one given, as argparse decides them."""
    last = {}
    for action in parser.seen:
        last[action.dest] = action
    out = {}
    for dest, action in last.items():
        name = action.option_strings[0][2:] if action.option_strings else dest.replace('_', '-')
        value = getattr(ns, dest, None)
        if action.nargs == 0:
            out[name] = True
        elif value is None:
            continue
        elif isinstance(value, list):
            # s3's --include/--exclude keep (option, pattern) pairs: the pattern is the value
            out[name] = [str(x[-1]) if isinstance(x, (list, tuple)) and x else str(x) for x in value]
        else:
            out[name] = value if isinstance(value, str) else str(value)
    return out


def _positionals(table):
    return sorted(n for n, a in table.items() if getattr(a, 'positional_arg', False))


def read_command(text):
    """Steps 2-4 for one text: a plan to run, or Refused."""
    try:
        words = shlex.split(text)
    except ValueError as e:
        raise Refused('shlex', str(e)) from e
    operators = [w for w in words if w in SHELL_OPERATORS]
    if operators:
        raise Refused('shell-operators', ' '.join(operators))
    if not words:
        raise Refused('empty', 'empty command')
    if words[0] != 'aws':
        raise Refused('not-aws', 'not an aws command')
    words = [os.path.expanduser(w) for w in words[1:]]
    g, rest = GLOBALS.parse_known_args(words)
    command = COMMANDS[g.command]
    if command.name in ('configure', 'history'):
        raise Refused('denied-service', command.name)
    if isinstance(command, clidriver.ServiceCommand):
        if not rest:
            raise Refused('missing-operation', 'no operation')
        op = command._get_command_table().get(rest[0])
        if op is None:
            raise Refused('invalid-operation', rest[0])
        if hasattr(op, '_operation_model'):
            return _read_operation(command, op, g, rest)
        return _read_customization(g, rest, command.name)
    return _read_customization(g, rest, words[0])


def _read_operation(command, op, g, rest):
    _check_globals(g)
    try:
        _, remaining = command._create_parser().parse_known_args(rest)
    except SystemExit as e:
        raise Refused('service-args', 'service parser exited') from e
    table = op.arg_table
    parser = _TableParser(table)
    ns = parser.read(remaining)
    try:
        parameters = op._build_call_parameters(ns, table, g)
    except Refused:
        raise
    except Exception as e:  # noqa: BLE001  (the server turns any failure here into a refusal)
        raise Refused('build-parameters', f'{type(e).__name__}: {e}') from e
    model = op._operation_model
    report = ParamValidator().validate(parameters, model.input_shape) if model.input_shape else None
    if report is not None and report.has_errors():
        raise Refused('parameter-validation', report.generate_report())
    service = model.service_model.service_name
    region = g.region or _region_from_arn(parameters)
    _check_endpoint_and_query(g)
    bound = _bound(parser, ns)
    if _is_help(list(parameters.values()) + remaining):
        raise Refused('help', 'help document, no API call')
    profile = g.profile
    if not region:
        region = _default_region(profile or SERVER_PROFILE)
    region = PINNED_REGIONS.get(service, region)
    return {'kind': 'operation', 'service': service, 'operation': model.name, 'cliService': command.name,
            'cliOperation': rest[0], 'parameters': parameters, 'region': region, 'profile': profile,
            'endpoint': g.endpoint_url, 'bound': {k: v for k, v in bound.items() if k not in IGNORED_BY_SERVER},
            'ignored': {k: v for k, v in bound.items() if k in IGNORED_BY_SERVER},
            'argNames': sorted(table.keys()), 'positionals': _positionals(table)}


def _read_customization(g, rest, service):
    if not rest:
        raise Refused('missing-operation', 'no operation')
    command = COMMANDS.get(service)
    if command is None:
        raise Refused('invalid-service', service)
    name = rest[0]
    if hasattr(command, '_get_command_table'):
        op = command._get_command_table().get(name)
    elif hasattr(command, 'subcommand_table'):
        op = command.subcommand_table.get(name)
    else:
        raise Refused('invalid-operation', name)
    if op is None:
        raise Refused('invalid-operation', name)
    if name not in ALLOWED_CUSTOM.get(service, ()):
        raise Refused('custom-not-allowed', f'{service} {name}')
    if hasattr(op, '_operation_model'):
        raise Refused('invalid-operation', name)
    _check_globals(g)
    words = rest[1:]
    full = name
    if getattr(op, 'subcommand_table', None) and len(rest) > 1 and not rest[1].startswith('--'):
        sub = op.subcommand_table.get(rest[1])
        if sub is None:
            raise Refused('invalid-operation', f'{name} {rest[1]}')
        op, full, words = sub, f'{name} {rest[1]}', rest[2:]
    if not hasattr(op, 'arg_table'):
        raise Refused('invalid-operation', full)
    table = op.arg_table
    parser = _TableParser(table)
    ns = parser.read(words)
    parameters = {'--' + k.replace('_', '-'): v for k, v in vars(ns).items() if v is not None}
    if service == 's3' and name in ('cp', 'sync', 'mv'):
        paths = parameters.get('--paths')
        if isinstance(paths, list) and len(paths) >= 2 and paths[0] == '-':
            raise Refused('file-parameter', "streaming from stdin ('-') is not allowed")
    _check_endpoint_and_query(g)
    if _is_help(parameters.values()):
        raise Refused('help', 'help document, no API call')
    return {'kind': 'customization', 'cliService': service, 'cliOperation': full, 'profile': g.profile,
            'region': g.region or _region_from_arn(parameters), 'endpoint': g.endpoint_url,
            'bound': _bound(parser, ns), 'ignored': {}, 'argNames': sorted(table.keys()),
            'positionals': _positionals(table)}


# ---------------------------------------------------------------- running

def run_operation(plan):
    profile = plan['profile'] or SERVER_PROFILE
    if profile and profile not in KNOWN_PROFILES:
        raise Refused('credentials', f'profile {profile} not found')
    recorder = Recorder(stop_at_send=True)
    from botocore.config import Config
    try:
        client = BOTO.client(plan['service'], region_name=plan['region'], endpoint_url=plan['endpoint'],
                             aws_access_key_id='AKIAORACLE', aws_secret_access_key='oracle',
                             config=Config(region_name=plan['region'], retries={'total_max_attempts': 1}))
    except Exception as e:  # noqa: BLE001  (the server's boto3.client fails the same way: nothing runs)
        raise Refused('client', f'{type(e).__name__}: {e}') from e
    recorder.attach(client.meta.events)
    parameters = dict(plan['parameters'])
    paging = parameters.pop('PaginationConfig', {})
    from botocore import xform_name
    method = xform_name(plan['operation'])
    try:
        if client.can_paginate(method):
            for _ in client.get_paginator(method).paginate(**parameters, PaginationConfig=paging):
                break
        else:
            getattr(client, method)(**parameters)
    except _Stop:
        pass
    except Exception as e:  # noqa: BLE001  (botocore refuses before sending: nothing runs)
        if not recorder.made():
            raise Refused('client', f'{type(e).__name__}: {e}') from e
    return recorder.made(), '', profile


BUCKET_OPTIONS = ('bucket', 's3-bucket', 'bucket-name')
SEED = {}


def _seed_clients():
    if not SEED:
        keys = {'aws_access_key_id': 'x', 'aws_secret_access_key': 'x'}
        SEED['s3'] = boto3.client('s3', region_name='us-east-1', **keys)
        SEED['eks'] = boto3.client('eks', region_name=os.environ.get('AWS_DEFAULT_REGION') or 'us-east-1', **keys)
    return SEED['s3'], SEED['eks']


def _seed_moto(words):
    """Buckets and objects for every s3:// path and bucket option, clusters for eks names: so that
    customizations go on past their first call and show the calls that follow."""
    s3, eks = _seed_clients()
    buckets, objects = set(), set()
    for i, w in enumerate(words):
        for m in re.finditer(r's3://([a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])/?([^\s]*)', w):
            buckets.add(m.group(1))
            key = m.group(2)
            objects.update((m.group(1), k) for k in ([key] if key and not key.endswith('/') else [])
                           + [key + 'obj.txt', key + 'sub/obj2.txt'])
        name = w[2:].split('=')[0]
        if w.startswith('--') and len(name) >= 2 and any(o.startswith(name) for o in BUCKET_OPTIONS):
            value = w.split('=', 1)[1] if '=' in w else words[i + 1] if i + 1 < len(words) else ''
            if re.fullmatch(r'[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]', value):
                buckets.add(value)
    for b in buckets:
        try:
            s3.create_bucket(Bucket=b)
        except Exception:  # noqa: BLE001
            pass
    for b, k in objects:
        try:
            s3.put_object(Bucket=b, Key=k, Body=b'oracle')
        except Exception:  # noqa: BLE001
            pass
    if 'eks' not in words:
        return
    for i, w in enumerate(words[:-1]):
        if w.startswith('--') and w.lstrip('-') in ('name', 'cluster-name', 'cluster'):
            try:
                eks.create_cluster(name=words[i + 1], roleArn='arn:aws:iam::123456789012:role/eks',
                                   resourcesVpcConfig={'subnetIds': []})
            except Exception:  # noqa: BLE001
                pass


# Answers for operations moto does not implement, given at botocore's before-call (after the
# Recorder has noted the call) in the shape AWS documents, so that a customization goes on to the
# calls that follow them (gamelift upload-build's upload, deploy register/deregister's later steps).
# Each answer is the least that lets the command go on; nothing else is faked.
# Customizations the oracle cannot run to the end: none of the 36 mapped ones. Their run may still stop
# early where moto answers differently from AWS (a bucket moto has, so configservice subscribe never
# calls s3:CreateBucket); the proxy's tables list such calls anyway, and extra names only refuse more.
_ORACLE_ACCOUNT = '123456789012'


def _canned(service, operation, params):
    if service == 'gamelift' and operation in ('CreateBuild', 'RequestUploadCredentials'):
        return {'Build': {'BuildId': 'build-oracle'},
                'UploadCredentials': {'AccessKeyId': 'AKIAGAMELIFT', 'SecretAccessKey': 'x', 'SessionToken': 'x'},
                'StorageLocation': {'Bucket': 'gamelift-oracle-uploads', 'Key': 'build-oracle.zip'}}
    if service == 'gamelift' and operation == 'GetGameSessionLogUrl':  # a local file: nothing leaves
        return {'PreSignedUrl': 'file://' + os.path.join(os.getcwd(), 'local.txt')}
    if service == 'codedeploy' and operation == 'GetOnPremisesInstance':
        body = params.get('body') or b'{}'
        name = json.loads(body.decode('utf-8') if isinstance(body, bytes) else body).get('instanceName', 'instance')
        return {'instanceInfo': {'instanceName': name, 'tags': [{'Key': 'k', 'Value': 'v'}],
                                 'iamUserArn': f'arn:aws:iam::{_ORACLE_ACCOUNT}:user/AWS/CodeDeploy/{name}'}}
    if service == 'codedeploy' and operation in ('RegisterOnPremisesInstance', 'AddTagsToOnPremisesInstances',
                                                 'RemoveTagsFromOnPremisesInstances',
                                                 'DeregisterOnPremisesInstance', 'RegisterApplicationRevision'):
        return {}
    if service == 'servicecatalog' and operation == 'CreateProvisioningArtifact':
        return {'ProvisioningArtifactDetail': {'Id': 'pa-oracle', 'Name': 'oracle'}}
    if service == 'emr' and operation in ('SetKeepJobFlowAliveWhenNoSteps', 'SetUnhealthyNodeReplacement'):
        return {}
    return None


def _answer_canned(model, params, **_):
    answer = _canned(model.service_model.service_name, model.name, params or {})
    if answer is None:
        return None
    from botocore.awsrequest import AWSResponse
    answer['ResponseMetadata'] = {'HTTPStatusCode': 200, 'RequestId': 'oracle', 'HTTPHeaders': {}}
    return AWSResponse('https://oracle.invalid/', 200, {}, None), answer


def _option_values(words, names):
    """Values of the options whose full name is one of ``names``, given by any prefix of it, with
    ``=`` or as the next word."""
    out = []
    for i, w in enumerate(words):
        if not w.startswith('--') or len(w) < 4:
            continue
        name, eq, value = w[2:].partition('=')
        if any(n.startswith(name) for n in names):
            if eq:
                out.append(value)
            elif i + 1 < len(words):
                out.append(words[i + 1])
    return out


def _seed_more(words):
    """EMR clusters with the ids the command names (AMI-based, so that the hbase commands go on past
    their check), the IAM user deploy deregister deletes, the bucket gamelift uploads to."""
    keys = {'aws_access_key_id': 'x', 'aws_secret_access_key': 'x'}
    if 'emr' in words:
        ids = [i for v in _option_values(words, ('cluster-id', 'cluster-ids')) for i in v.split()]
        regions = {os.environ.get('AWS_DEFAULT_REGION') or 'us-east-1'}
        regions.update(r for r in _option_values(words, ('region',)) if re.fullmatch(r'[a-z]{2}(-[a-z]+)+-\d', r))
        from moto.emr.models import emr_backends
        for region in regions:
            emr = boto3.client('emr', region_name=region, **keys)
            backend = emr_backends[_ORACLE_ACCOUNT][region]
            for cluster_id in ids:
                if cluster_id in backend.clusters:
                    continue
                made = emr.run_job_flow(Name='oracle', AmiVersion='3.11.0', Instances={
                    'MasterInstanceType': 'm5.xlarge', 'SlaveInstanceType': 'm5.xlarge', 'InstanceCount': 2,
                    'KeepJobFlowAliveWhenNoSteps': True})['JobFlowId']
                cluster = backend.clusters.pop(made)
                cluster.id = cluster_id
                backend.clusters[cluster_id] = cluster
    if 'deploy' in words and 'deregister' in words:
        iam = boto3.client('iam', region_name='us-east-1', **keys)
        for name in _option_values(words, ('instance-name',)):
            try:
                iam.create_user(UserName=name, Path='/AWS/CodeDeploy/')
                iam.put_user_policy(UserName=name, PolicyName='codedeploy-agent', PolicyDocument=json.dumps(
                    {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:Get*',
                                                             'Resource': '*'}]}))
                iam.create_access_key(UserName=name)
            except Exception:  # noqa: BLE001
                pass
    if any(w.startswith('create-default-role') for w in words):
        _seed_service_role_policies()
    if 'gamelift' in words:
        s3, _ = _seed_clients()
        try:
            s3.create_bucket(Bucket='gamelift-oracle-uploads')
        except Exception:  # noqa: BLE001
            pass


# The AWS managed policies the create-default-role(s) commands attach (awscli's constants). moto
# knows only some of them, and only when it loads all ~1,000 (slow), so these few are added, so that
# the commands go on past AttachRolePolicy to the GetPolicy / GetPolicyVersion calls that follow it.
SERVICE_ROLE_POLICIES = ('AWSDataPipelineRole', 'AmazonEC2RoleforDataPipelineRole', 'AmazonElasticMapReduceRole',
                         'AmazonElasticMapReduceforEC2Role', 'AmazonElasticMapReduceforAutoScalingRole',
                         'AWSDataLifecycleManagerServiceRole', 'AWSDataLifecycleManagerServiceRoleForAMIManagement')


def _seed_service_role_policies():
    from moto.iam.models import AWSManagedPolicy, iam_backends
    backend = iam_backends[_ORACLE_ACCOUNT]['global']
    for name in SERVICE_ROLE_POLICIES:
        policy = AWSManagedPolicy.from_data(name, _ORACLE_ACCOUNT, 'us-east-1', {
            'DefaultVersionId': 'v1', 'Path': '/service-role/', 'CreateDate': '2020-01-01T00:00:00+00:00',
            'UpdateDate': '2020-01-01T00:00:00+00:00',
            'Document': {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'ec2:Describe*',
                                                                  'Resource': '*'}]}})
        backend.managed_policies.setdefault(policy.arn, policy)


def _cache_client_classes():
    """botocore builds a client class per client; the classes depend only on the service model and
    the session's handlers, which every forked child shares with this process, so build each once."""
    import botocore.client
    original = botocore.client.ClientCreator._create_client_class
    cache = {}

    def cached(self, service_name, service_model):
        key = (service_name, service_model.api_version, id(self._event_emitter))
        if key not in cache:
            cache[key] = original(self, service_name, service_model)
        return cache[key]

    botocore.client.ClientCreator._create_client_class = cached


_cache_client_classes()


def run_customization(text):
    """Runs the text through a fresh awscli driver in a forked child; returns (calls, stderr)."""
    words = shlex.split(text)[1:]
    if SERVER_PROFILE and '--profile' not in words:
        words += ['--profile', SERVER_PROFILE]
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        status = 0
        try:
            out = {'calls': [], 'stderr': '', 'rc': None}
            for seed in (_seed_moto, _seed_more):
                try:
                    seed(words)
                except Exception:  # noqa: BLE001
                    traceback.print_exc()
            time.sleep = _no_sleep  # waiters and retries poll moto, which answers at once
            driver = DRIVER  # built in the parent and never run: as fresh as the server's own
            recorder = Recorder(stop_at_send=False)
            events = driver.session.get_component('event_emitter')
            recorder.attach(events)
            events.register_last('before-call', _answer_canned)
            captured_out, captured_err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(captured_out), contextlib.redirect_stderr(captured_err):
                    out['rc'] = driver.main(list(words))
            except BaseException as e:  # noqa: BLE001
                out['stderr'] = f'{type(e).__name__}: {e}'
            out['calls'] = recorder.made()
            try:
                out['profile'] = driver.session.profile
            except Exception:  # noqa: BLE001
                out['profile'] = None
            out['stderr'] = (out['stderr'] + captured_err.getvalue())[-2000:]
            with os.fdopen(write_fd, 'w') as f:
                f.write(json.dumps(out, default=str))
        except BaseException:  # noqa: BLE001
            traceback.print_exc()
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    chunks, deadline = [], time.monotonic() + TIMEOUT_SECONDS
    with os.fdopen(read_fd, 'r') as f:
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([f], [], [], max(left, 0))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise TimeoutError(f'customization still running after {TIMEOUT_SECONDS} s')
            data = f.read()
            chunks.append(data)
            break
    os.waitpid(pid, 0)
    out = json.loads(''.join(chunks) or '{"calls": [], "stderr": "child died"}')
    return out['calls'], out.get('stderr', ''), out.get('profile')


def _no_sleep(_seconds):
    pass


def _warm_moto():
    """Loads moto's backends in the parent once, so that forked children do not each load them."""
    region = os.environ.get('AWS_DEFAULT_REGION') or 'us-east-1'
    for service, call in (('s3', 'list_buckets'), ('sts', 'get_caller_identity'), ('eks', 'list_clusters'),
                          ('cloudformation', 'list_stacks'), ('ecr', 'describe_repositories'),
                          ('iam', 'list_roles'), ('ecs', 'list_clusters'), ('emr', 'list_clusters')):
        try:
            getattr(boto3.client(service, region_name=region, aws_access_key_id='x',
                                 aws_secret_access_key='x'), call)()
        except Exception:  # noqa: BLE001
            pass
    _seed_moto(['s3://oracle-warm/x'])
    for service in ('s3', 'sts', 'eks', 'cloudformation', 'ecr', 'ecr-public', 'codeartifact', 'rds', 'emr',
                    'iam', 'ecs', 'codedeploy', 'gamelift', 'servicecatalog', 'datapipeline', 'dlm',
                    'cloudtrail', 'config', 'sns', 'emr-containers', 'cloudfront'):
        try:  # the driver's loader keeps the models, so every child starts with them read
            DRIVER.session.create_client(service, region_name=region, aws_access_key_id='x',
                                         aws_secret_access_key='x')
        except Exception:  # noqa: BLE001
            pass


_warm_moto()


class _Alarm(Exception):
    pass


def _on_alarm(*_):
    raise _Alarm()


signal.signal(signal.SIGALRM, _on_alarm)


def one_text(text):
    """Every run the server makes for one batch item (several when --region * expands it)."""
    runs = []
    texts = [text]
    if not isinstance(text, str):
        return {'error': 'cli_command item is not a string', 'runs': []}
    listing = None
    if REGION_WILDCARD.search(text):
        m = PROFILE_IN_TEXT.search(text)
        profile = m.group(1) if m else SERVER_PROFILE
        listing = {'service': 'account', 'signingName': 'account', 'endpointPrefix': 'account',
                   'operation': 'ListRegions', 'region': os.environ.get('AWS_DEFAULT_REGION') or 'us-east-1',
                   'params': {}, 'kind': 'call', 'profile': profile}
        if profile and profile not in KNOWN_PROFILES:
            return {'expanded': True, 'error': f'profile {profile} not found', 'runs': [],
                    'regionListing': listing}
        texts = [REGION_WILDCARD.sub('--region ' + r, text) for r in ENABLED_REGIONS]
    for t in texts:
        run = {'text': t}
        try:
            signal.setitimer(signal.ITIMER_REAL, TIMEOUT_SECONDS)
            try:
                plan = read_command(t)
                run.update({k: v for k, v in plan.items() if k != 'parameters'})
                if plan['kind'] == 'operation':
                    run['parameters'] = _plain(plan['parameters'])
                    calls, err, profile = run_operation(plan)
                else:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    calls, err, profile = run_customization(t)
                run['effectiveProfile'] = profile
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            run['status'] = 'ran'
            run['calls'] = calls
            if err:
                run['stderr'] = err
        except Refused as e:
            run.update({'status': 'refused', 'stage': e.stage, 'error': str(e)[:1000], 'calls': []})
        except (_Alarm, TimeoutError) as e:
            run.update({'status': 'timeout', 'error': str(e) or 'timeout', 'calls': []})
        except Exception as e:  # noqa: BLE001
            run.update({'status': 'oracle-error', 'error': f'{type(e).__name__}: {e}'[:1000], 'calls': []})
        runs.append(run)
    out = {'expanded': listing is not None, 'runs': runs}
    if listing is not None:
        out['regionListing'] = listing
    return out


# ---------------------------------------------------------------- catalog for the generator

def services():
    out = []
    for name, command in sorted(COMMANDS.items()):
        out.append({'cli': name, 'isService': isinstance(command, clidriver.ServiceCommand)})
    return out


def catalog(names):
    """Operations of each service (CLI and API names) and its customizations; arguments come
    per operation from arguments(), since building every argument table is slow."""
    out = {}
    for name in names:
        command = COMMANDS.get(name)
        if command is None:
            continue
        entry = {'operations': [], 'customizations': []}
        if isinstance(command, clidriver.ServiceCommand):
            model = command.service_model
            entry.update({'service': model.service_name, 'signingName': model.signing_name,
                          'endpointPrefix': model.endpoint_prefix})
            for op_name, op in sorted(command._get_command_table().items()):
                if hasattr(op, '_operation_model'):
                    entry['operations'].append({'cli': op_name, 'api': op._operation_model.name})
                else:
                    entry['customizations'].append(op_name)
        else:
            entry['customizations'] = sorted(getattr(command, 'subcommand_table', {}) or {})
        out[name] = entry
    return out


def arguments(service, operation):
    """The argument table of one API operation, without the two options the server ignores."""
    op = COMMANDS[service]._get_command_table()[operation]
    args = []
    for arg_name, arg in op.arg_table.items():
        if arg_name in IGNORED_BY_SERVER:
            continue
        shape = getattr(arg, 'argument_model', None)
        member = getattr(shape, 'member', None) if shape is not None else None
        args.append({'name': arg_name, 'required': bool(getattr(arg, 'required', False)),
                     'type': shape.type_name if shape is not None else 'string',
                     'member': member.type_name if member is not None else None,
                     'enum': list(getattr(shape, 'enum', None) or [])[:5] if shape is not None else []})
    return args


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            rid = request.get('id')
            if request.get('op') == 'services':
                answer = {'id': rid, 'services': services()}
            elif request.get('op') == 'catalog':
                answer = {'id': rid, 'catalog': catalog(request.get('services') or [])}
            elif request.get('op') == 'arguments':
                answer = {'id': rid, 'arguments': arguments(request['service'], request['operation'])}
            else:
                cli = request.get('cli_command')
                items = [cli] if isinstance(cli, str) else cli if isinstance(cli, list) else None
                if not items:
                    answer = {'id': rid, 'error': 'cli_command must be a string or a non-empty list'}
                else:
                    answer = {'id': rid, 'items': [one_text(t) for t in items]}
        except Exception as e:  # noqa: BLE001  (one bad line never ends the oracle)
            answer = {'id': None, 'error': f'{type(e).__name__}: {e}'}
        PROTOCOL.write(json.dumps(answer, default=str, ensure_ascii=True) + '\n')
        PROTOCOL.flush()


if __name__ == '__main__':
    main()
