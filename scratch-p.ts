import { policies } from "./policy/api";
import { check } from "./test/policy/fixtures";
import { inputsOfRun } from "./cli/check/policyInputs";
import { runStack, runStackConfig, stackConfig } from "./cli/record/program";
(async () => {
  for (const st of ["k8s", "dev"]) {
  const first = await runStack(st); const run = await runStackConfig(stackConfig(st), first);
  const inputs = inputsOfRun(run, st);
  for (const p of policies) { const r = await check(p, inputs); if (r.status !== "pass") console.log(st, r.status.padEnd(6), p.name, JSON.stringify(r.violations).slice(0,300), r.notApplicable.slice(0,1).join(" ").slice(0,60)); }
  }
})();
