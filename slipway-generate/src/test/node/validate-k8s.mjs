// Validates Kubernetes objects against the official OpenAPI schemas bundled in kubernetes-models.
// Usage: node validate-k8s.mjs FILE.json   (FILE holds a JSON array of objects)
// Prints "validated N" and one "error: ..." line per invalid object; exits 1 on any error.
// Objects of API groups kubernetes-models does not know (argoproj.io CRDs) are counted as skipped.
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
let validated = 0;
let skipped = 0;
const errors = [];
for (const o of objects) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : [null, o.apiVersion];
  const module = group === null ? `kubernetes-models/${version}/${o.kind}` : `kubernetes-models/${group}/${version}/${o.kind}`;
  let Model;
  try {
    Model = (await import(module))[o.kind];
  } catch (e) {
    if (group && !group.endsWith(".k8s.io") && !["apps", "autoscaling", "policy", "batch"].includes(group)) {
      skipped++;
      continue;
    }
    errors.push(`${o.apiVersion} ${o.kind} ${o.metadata?.name}: no schema (${e.message})`);
    continue;
  }
  try {
    new Model(o).validate();
    validated++;
  } catch (e) {
    errors.push(`${o.apiVersion} ${o.kind} ${o.metadata?.name}: ${e.message}`);
  }
}
for (const e of errors) console.log(`error: ${e}`);
console.log(`validated ${validated}`);
console.log(`skipped ${skipped}`);
process.exit(errors.length ? 1 : 0);
