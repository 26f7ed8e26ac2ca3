// Loaded as an async module in the <head> of pages with runnable examples (overrides/main.html): starts Python
// early for a returning reader. Why and how: early.js.
import { startEarly } from "./early.js";

startEarly();
