import { defineScenarios } from '../helpers/scenarios.js';

// Several name servers answer each run at once: each scenario runs three times on a fresh lab.
defineScenarios(['auth-'], { runs: 3 });
