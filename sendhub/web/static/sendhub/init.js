// Starts GOV.UK Frontend's components. collectstatic points the line below at the hashed file name.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
