import { defineScenarios } from '../helpers/scenarios.js';

defineScenarios(['imp-']);
