// The 1,000-rule policy of the issue 14 yardstick, generated (never committed as a big file):
// default deny, 1,000 entries under `tools`, of which two allow the benchmark's tools (`echo` of
// server-everything, with limits that never run out, and `big` of big-server.mjs); the other 998
// are exact names, globs, argument predicates, denials and approvals that a real policy of a large
// tool catalogue could hold, none of which matches either. `all_tools` adds a limit every call
// passes through.

const BIG = 1_000_000_000; // a limit that is checked and counted on every call but never runs out
const SERVICES = ['crm', 'billing', 'github', 'jira', 'slack', 'drive', 'db', 'k8s', 'aws', 'gcp'];

/** Returns the policy as an object; `tools` has exactly 1,000 entries. */
export function policy1000() {
  const tools = {
    echo: {
      limits: [
        { counter: 'echo_per_minute', window: 'minute', max: BIG },
        { counter: 'echo_per_hour', window: 'hour', max: BIG },
      ],
    },
    big: {},
  };
  let n = 2;
  const add = (name, entry) => {
    if (name in tools) throw new Error(`duplicate rule ${name}`);
    tools[name] = entry;
    n++;
  };
  const svc = (i) => SERVICES[i % SERVICES.length];
  for (let i = 0; n < 400; i++) { // exact names with limits of every window and scope
    add(`${svc(i)}_action_${i}`, {
      limits: [{ counter: `rate_${i}`, window: ['second', 'minute', 'hour', 'day'][i % 4], max: 10 + i }],
    });
  }
  for (let i = 0; n < 600; i++) { // globs: prefix, suffix and single-character wildcards
    const shapes = [`${svc(i)}_read_${i}_*`, `*_report_${i}`, `${svc(i)}_v?_list_${i}`, `${svc(i)}_*_search_${i}*`];
    add(shapes[i % shapes.length], i % 5 === 0 ? { limits: [{ counter: `glob_${i}`, window: 'minute', max: 60 }] } : {});
  }
  for (let i = 0; n < 800; i++) { // argument predicates
    add(`${svc(i)}_write_${i}`, {
      require: [{ path: 'args.project', op: 'in', value: [`proj-${i}`, `proj-${i + 1}`] }],
      deny_if: [
        { path: 'args.path', op: 'regex', value: `^/(etc|root|proc)/.*${i}$` },
        { path: 'args.amount', op: 'gt', value: 1000 + i },
      ],
    });
  }
  for (let i = 0; n < 900; i++) { // explicit denials, exact and glob
    add(i % 2 ? `${svc(i)}_delete_${i}` : `${svc(i)}_drop_${i}_*`, { action: 'deny', reason: `rule ${i}: destructive tools are not for agents` });
  }
  for (let i = 0; n < 1000; i++) { // approvals
    add(`${svc(i)}_deploy_${i}`, { action: 'require_approval', approval: { timeout_seconds: 120 } });
  }
  if (Object.keys(tools).length !== 1000) throw new Error(`expected 1,000 rules, made ${Object.keys(tools).length}`);
  return {
    version: '1',
    default: 'deny',
    all_tools: { limits: [{ counter: 'all_calls', window: 'second', max: BIG }] },
    tools,
  };
}

/**
 * The 1,000-rule policy's limits alone: its `all_tools` limit and the two limits of `echo`, with
 * `echo` and `big` allowed and nothing else. Beside the 1,000-rule policy it tells the cost of the
 * rules apart from the cost of the limits every `echo` call passes through.
 */
export function limitsOf1000() {
  const full = policy1000();
  return { version: '1', default: 'deny', all_tools: full.all_tools, tools: { echo: full.tools.echo, big: full.tools.big } };
}
