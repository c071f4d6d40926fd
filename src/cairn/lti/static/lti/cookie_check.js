// The LMS login's cookie check (lti/cookie_check.html): a test cookie set as the real ones are
// (SameSite=None; Secure), read back; kept → go on signing in, dropped → say so and offer a new tab.
(function () {
  "use strict";
  var box = document.getElementById("lti-cookie-check");
  if (!box) return;
  var name = "cairn_lti_cookie_test";
  // As Cairn's own cookies in the frame (cairn.lti.security): a browser that keeps this one keeps them.
  // Secure cookies need a secure context (https, or http on this machine for tests and demos).
  var attrs = window.isSecureContext ? "; path=/; SameSite=None; Secure; Partitioned" : "; path=/";
  document.cookie = name + "=1" + attrs;
  var kept = document.cookie.indexOf(name + "=1") !== -1;
  if (kept) {
    document.cookie = name + "=; max-age=0" + attrs;
    window.location.replace(box.getAttribute("data-continue-url"));
    return;
  }
  document.getElementById("lti-loading").hidden = true;
  document.getElementById("lti-blocked").hidden = false;
})();
