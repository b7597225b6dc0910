import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createQueryClient } from "./api/queryClient";
import { App } from "./app";
import { createAppRouter, installUnauthorizedRedirect } from "./router";
import "./ui/theme.css";

const queryClient = createQueryClient();
const router = createAppRouter({ queryClient });
installUnauthorizedRedirect(router, queryClient);

const root = document.getElementById("root");
if (!root) throw new Error("#root element missing from index.html");

createRoot(root).render(
  <StrictMode>
    <App router={router} queryClient={queryClient} />
  </StrictMode>,
);
