import { z } from "zod";
import { userText } from "../transcript";
import { askUser, result, type Tool } from "./tool";

/**
 * Built in: the model asks the user and the task waits in INPUT_REQUIRED; the user's next message resumes the
 * same run, and its text is this call's result.
 */
export const askUserTool: Tool<{ question: string }> = {
  name: "ask_user",
  description:
    "Ask the user a question and wait for their answer. Use it when you need information only the user has (a choice, a missing detail, a confirmation); the answer comes back as this tool's result.",
  input: z.object({ question: z.string().min(1).max(4000).describe("The question, as the user will read it.") }),
  sideEffects: false,
  async execute({ question }) {
    return askUser(question);
  },
  async resume(_state, answer) {
    return result({ answer: userText(answer) });
  },
};
