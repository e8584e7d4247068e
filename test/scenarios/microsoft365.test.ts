import { defineScenarios } from '../helpers/scenarios.js';

defineScenarios(['m365-'], { runs: 2 });
