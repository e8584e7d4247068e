import { defineScenarios } from '../helpers/scenarios.js';

defineScenarios(['views-']);
