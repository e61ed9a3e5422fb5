// Validate JSON values against coachflow's document schema with ajv (draft 2020-12,
// ajv-formats), a validator not written in Python: reads {"schema", "values"} on stdin,
// writes one boolean per value.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(process.env.COACHFLOW_TEST_AJV + "/");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const { schema, values } = JSON.parse(readFileSync(0, "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: false, unicodeRegExp: true });
addFormats(ajv);
const validate = ajv.compile(schema);
process.stdout.write(JSON.stringify(values.map((value) => validate(value))));
