// Pages with nothing else to do: the notice board's live countdowns.
import { startCountdowns } from './countdown.js';

startCountdowns();
