#!/usr/bin/env python3
"""Dumps the AWS CLI's command model (awscli 1.x + botocore) into the compact resource the proxy's
parser loads: src/main/resources/aws/cli-model.tsv.gz.

Run from the repository root with the awscli/botocore the upstream server embeds:
    python3 tools/dump_aws_cli_model.py
The output is deterministic (sorted) and committed, so builds need no Python.

Lines (tab-separated):
    V   awscli-version  botocore-version
    S   cli-service  botocore-service  signing-name  endpoint-prefix
    O   api operation (of the last S):  cli-name  ApiName  options
    C   customization (of the last S):  cli-name  -  options  [subcommand names, space-separated]
    U   subcommand of the last C:       cli-name  -  options
    G   global options:                 -  -  options
    R   known regions (all partitions): space-separated
options: space-separated argparse actions "names:kind[:dest]" where names are the option strings
without "--", comma-separated (a positional is written "=dest"), kind is the action: 1 (one value),
+ (one or more), * (zero or more), ? (zero or one), T (store_true), F (store_false),
K (store_const), R (remainder), V (version), a digit N (N values); a kind prefixed with @ is an\nappend or custom action (occurrences add up, none replaces another);
dest is written only when it differs from the first name with '-' -> '_'.
"""
import argparse
import gzip
import io
import os
import sys

import awscli
import awscli.clidriver
import botocore
import botocore.session
from awscli.argparser import ArgTableArgParser, CommandAction
from awscli.clidriver import ServiceCommand

KINDS = {
    argparse._StoreTrueAction: 'T',
    argparse._StoreFalseAction: 'F',
    argparse._StoreConstAction: 'K',
    argparse._VersionAction: 'V',
}


def nargs_code(nargs):
    if nargs is None or nargs == 1:
        return '1'
    if nargs == argparse.REMAINDER:
        return 'R'
    if nargs in ('+', '*', '?') or isinstance(nargs, int):
        return str(nargs)
    raise SystemExit('unknown nargs %r' % (nargs,))


def action_code(action):
    kind = KINDS.get(type(action))
    if kind is None:
        kind = nargs_code(action.nargs)
        if type(action) is not argparse._StoreAction and not isinstance(action, CommandAction):
            kind = '@' + kind  # append or a custom action: every occurrence counts, none replaces another
    if not action.option_strings:
        return ['=%s:%s' % (action.dest, kind)]
    for opt in action.option_strings:
        if not opt.startswith('--'):
            raise SystemExit('short option %s' % opt)
    names = [opt[2:] for opt in action.option_strings]
    code = '%s:%s' % (','.join(names), kind)
    if action.dest != names[0].replace('-', '_'):
        code += ':' + action.dest
    return [code]


def options(arg_table, subcommands=None):
    parser = ArgTableArgParser(arg_table, subcommands)
    out = []
    for action in parser._actions:
        out.extend(action_code(action))
    return ' '.join(out)


def main():
    driver = awscli.clidriver.create_clidriver()
    table = driver._get_command_table()
    lines = ['V\t%s\t%s' % (awscli.__version__, botocore.__version__)]
    glob = []
    from awscli.argparser import MainArgParser
    mp = MainArgParser(table, 'v', '', driver._get_argument_table())
    for action in mp._actions:
        if action.dest != 'command':
            glob.extend(action_code(action))
    lines.append('G\t-\t-\t' + ' '.join(glob))
    for name in sorted(table):
        cmd = table[name]
        if isinstance(cmd, ServiceCommand):
            model = cmd.service_model
            md = model.metadata
            lines.append('S\t%s\t%s\t%s\t%s' % (name, model.service_name,
                                               md.get('signingName', md['endpointPrefix']),
                                               md['endpointPrefix']))
            ops = cmd._get_command_table()
        else:
            lines.append('S\t%s\t-\t-\t-' % name)
            ops = getattr(cmd, 'subcommand_table', None) or {}
        for op in sorted(ops):
            oc = ops[op]
            if hasattr(oc, '_operation_model'):
                lines.append('O\t%s\t%s\t%s' % (op, oc._operation_model.name, options(oc.arg_table)))
            else:
                subs = getattr(oc, 'subcommand_table', None) or {}
                try:
                    opts = options(oc.arg_table, subs or None)
                except Exception as e:  # a customization whose table cannot be built
                    opts = '!' + type(e).__name__
                lines.append('C\t%s\t-\t%s\t%s' % (op, opts, ' '.join(sorted(subs))))
                for sub in sorted(subs):
                    sc = subs[sub]
                    lines.append('U\t%s\t-\t%s' % (sub, options(sc.arg_table, getattr(sc, 'subcommand_table', None) or None)))
    regions = set()
    session = botocore.session.get_session()
    for partition in session.get_available_partitions():
        for service in ('ec2', 'sts', 's3', 'account'):
            regions.update(session.get_available_regions(service, partition))
    lines.append('R\t' + ' '.join(sorted(regions)))
    out = os.path.join('src', 'main', 'resources', 'aws', 'cli-model.tsv.gz')
    os.makedirs(os.path.dirname(out), exist_ok=True)
    data = ('\n'.join(lines) + '\n').encode('utf-8')
    with open(out, 'wb') as f:
        with gzip.GzipFile(fileobj=f, mode='wb', mtime=0) as gz:
            gz.write(data)
    print('%s: %d lines, %d bytes raw' % (out, len(lines), len(data)), file=sys.stderr)


if __name__ == '__main__':
    main()
