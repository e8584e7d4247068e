import { defineScenarios } from '../helpers/scenarios.js';

defineScenarios(['dns-']);
