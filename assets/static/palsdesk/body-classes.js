// The NHS.UK frontend's styles for script-enhanced components apply once the body says scripts run.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
