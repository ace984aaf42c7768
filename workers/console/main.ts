import { A2aConsole } from "./app";

customElements.define("a2a-console", A2aConsole);
