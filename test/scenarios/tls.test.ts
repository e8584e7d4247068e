import { defineScenarios } from '../helpers/scenarios.js';

defineScenarios(['tls-']);
