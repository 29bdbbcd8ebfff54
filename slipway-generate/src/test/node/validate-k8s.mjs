// Validates Kubernetes objects against the official OpenAPI schemas bundled in kubernetes-models.
// Usage: node validate-k8s.mjs FILE.json [SKIP_GROUP...]   (FILE holds a JSON array of objects)
// Prints "validated N" and one "error: ..." line per invalid object; exits 1 on any error.
// Objects of the API groups named on the command line (CRDs kubernetes-models has no schema for) are
// counted as skipped; any other object without a schema is an error.
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
const skipGroups = new Set(process.argv.slice(3));
let validated = 0;
let skipped = 0;
const errors = [];
for (const o of objects) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : [null, o.apiVersion];
  const module = group === null ? `kubernetes-models/${version}/${o.kind}` : `kubernetes-models/${group}/${version}/${o.kind}`;
  if (group && skipGroups.has(group)) {
    skipped++;
    continue;
  }
  let Model;
  try {
    Model = (await import(module))[o.kind];
  } catch (e) {
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
