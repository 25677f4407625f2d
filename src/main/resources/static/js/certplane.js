// Copy buttons: <button data-copy="#element-id"> copies that element's text. Kept in a file because the
// content security policy allows no inline script.
document.addEventListener('click', function (event) {
  const button = event.target.closest('[data-copy]');
  if (!button) {
    return;
  }
  const source = document.querySelector(button.getAttribute('data-copy'));
  if (!source) {
    return;
  }
  const text = source.value !== undefined ? source.value : source.textContent;
  const done = function () {
    const label = button.textContent;
    button.textContent = 'Copied';
    button.setAttribute('aria-live', 'polite');
    setTimeout(function () { button.textContent = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, function () { select(source); });
  } else {
    select(source);
  }
});

function select(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

// Confirmation for destructive buttons: <button data-confirm="Revoke this token?">.
document.addEventListener('submit', function (event) {
  const button = event.submitter;
  if (button && button.hasAttribute('data-confirm') && !window.confirm(button.getAttribute('data-confirm'))) {
    event.preventDefault();
  }
});

// The renewal policy form: manual and none never dispatch, so automatic renewal is switched off and disabled for
// them (the server refuses it anyway); the ACME fields show only for method acme, the organization only for an
// organization scope.
function syncPolicyForm(form) {
  const method = form.querySelector('#method').value;
  const autoRenew = form.querySelector('#autoRenew');
  const dispatches = method === 'acme' || method === 'internal';
  if (!dispatches) {
    autoRenew.checked = false;
  }
  autoRenew.disabled = !dispatches;
  form.querySelector('[data-acme-fields]').hidden = method !== 'acme';
  const scope = form.querySelector('#scope');
  form.querySelector('[data-scope-organization]').hidden = scope.value !== 'organization';
}

document.addEventListener('change', function (event) {
  const form = event.target.closest('[data-policy-form]');
  if (form && (event.target.id === 'method' || event.target.id === 'scope')) {
    syncPolicyForm(form);
  }
});

document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-policy-form]').forEach(syncPolicyForm);
});
