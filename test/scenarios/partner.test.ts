import { defineScenarios } from '../helpers/scenarios.js';

defineScenarios(['partner-']);
