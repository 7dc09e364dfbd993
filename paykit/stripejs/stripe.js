/*
 * paykit: a LEARNING STAND-IN for Stripe.js v3. This is not Stripe.js.
 *
 * Written by paykit from Stripe's public documentation (https://docs.stripe.com/js) and the
 * public type definitions of @stripe/stripe-js; no code of Stripe.js or of any other
 * stand-in is in here. It talks to the paykit sandbox that served it (the script's own
 * origin and path prefix), the way Stripe.js talks to api.stripe.com: form-encoded bodies
 * with the publishable key (key=pk_test_...) and the intent's client_secret.
 *
 * What it implements: Stripe(pk), stripe.elements() with the 'card' and 'payment' elements
 * (card only), confirmCardPayment, confirmPayment (with return_url and the redirect),
 * handleCardAction, handleNextAction, retrievePaymentIntent, retrieveSetupIntent,
 * createPaymentMethod, confirmCardSetup, confirmSetup. Test-mode 3D Secure shows a
 * challenge over the page (Complete / Fail authentication) and calls paykit's
 * /v1/test_helpers/.../authenticate, the engine path of sb.payment_intents.authenticate().
 * Anything else throws an Error naming the function: nothing fails silently.
 */
(function () {
  'use strict';

  var RULES = /*PAYKIT_CARD_RULES*/null;
  var STAND_IN = "paykit's Stripe.js stand-in";
  var script = document.currentScript;
  // The API lives where this script came from: /v3, /v3/ or /<train>/stripe.js is cut off
  // (behind a proxy such as /proxy/12111/v3/ the prefix is kept).
  var API_BASE = script && script.src
    ? script.src.replace(/\/(v3\/?|[a-z]+\/stripe\.js)(\?.*)?$/, '')
    : window.location.origin;
  // What was sent and received, in order: notebooks and tests read it.
  var LOG = [];

  // -- loud failures -----------------------------------------------------------------

  function IntegrationError(message) {
    var error = new Error(message);
    error.name = 'IntegrationError';
    return error;
  }

  function unsupported(owner, name) {
    return IntegrationError(STAND_IN + ' does not implement ' + owner + '.' + name +
      '(). It implements what the docs\' accept-a-payment flows use; see ' +
      'paykit/stripejs/stripe.js for the list.');
  }

  // Names a library may probe on any object (promises, JSON, React, test frameworks):
  // answered "undefined", never thrown on.
  var PROBES = {
    then: 1, toJSON: 1, constructor: 1, $$typeof: 1, nodeType: 1, asymmetricMatch: 1,
    __proto__: 1, toString: 1, valueOf: 1, inspect: 1
  };

  function guard(target, owner) {
    if (typeof Proxy === 'undefined') { return target; }
    return new Proxy(target, {
      get: function (t, name, receiver) {
        if (typeof name === 'symbol' || name in t || PROBES[name] === 1) {
          return Reflect.get(t, name, receiver);
        }
        throw unsupported(owner, String(name));
      }
    });
  }

  // -- the card checks (the table is paykit/stripejs/card_checks.py) --------------------

  function digitsOf(text) { return String(text || '').replace(/\D/g, ''); }

  function luhn(digits) {
    var total = 0;
    for (var i = 0; i < digits.length; i++) {
      var value = Number(digits.charAt(digits.length - 1 - i)) * (i % 2 ? 2 : 1);
      total += value > 9 ? value - 9 : value;
    }
    return digits.length > 0 && total % 10 === 0;
  }

  function brandOf(number) {
    var digits = digitsOf(number);
    for (var b = 0; b < RULES.brands.length; b++) {
      var brand = RULES.brands[b];
      for (var p = 0; p < brand.prefixes.length; p++) {
        var low = brand.prefixes[p][0], high = brand.prefixes[p][1];
        var width = String(low).length;
        if (digits.length >= width) {
          var head = Number(digits.slice(0, width));
          if (low <= head && head <= high) { return brand; }
        }
      }
    }
    return RULES.unknown;
  }

  function problem(code, param) {
    return {type: 'validation_error', code: code, message: RULES.messages[code], param: param};
  }

  function checkNumber(number) {
    var digits = digitsOf(number);
    var lengths = brandOf(digits).lengths;
    var shortest = Math.min.apply(null, lengths), longest = Math.max.apply(null, lengths);
    if (digits.length < shortest) { return problem('incomplete_number', 'number'); }
    if (digits.length > longest) { return problem('invalid_number', 'number'); }
    if (lengths.indexOf(digits.length) < 0) { return problem('incomplete_number', 'number'); }
    if (!luhn(digits)) { return problem('invalid_number', 'number'); }
    return null;
  }

  function checkExpiry(expiry, today) {
    var digits = digitsOf(expiry);
    if (digits.length < 4) { return problem('incomplete_expiry', 'exp_month'); }
    var month = Number(digits.slice(0, 2)), year = 2000 + Number(digits.slice(2, 4));
    if (month < 1 || month > 12) { return problem('invalid_expiry_month', 'exp_month'); }
    if (year < today[0]) { return problem('invalid_expiry_year_past', 'exp_year'); }
    if (year === today[0] && month < today[1]) {
      return problem('invalid_expiry_month_past', 'exp_month');
    }
    if (year > today[0] + RULES.years_ahead) { return problem('invalid_expiry_year', 'exp_year'); }
    return null;
  }

  function checkCvc(cvc, brandName) {
    var wanted = RULES.unknown.cvc_length;
    for (var b = 0; b < RULES.brands.length; b++) {
      if (RULES.brands[b].name === brandName) { wanted = RULES.brands[b].cvc_length; }
    }
    return digitsOf(cvc).length < wanted ? problem('incomplete_cvc', 'cvc') : null;
  }

  function customerToday() {
    var now = new Date();
    return [now.getFullYear(), now.getMonth() + 1];
  }

  // -- talking to the API as Stripe.js does ------------------------------------------

  function encode(value, prefix, out) {
    Object.keys(value).forEach(function (name) {
      var item = value[name];
      var key = prefix ? prefix + '[' + name + ']' : name;
      if (item === undefined || item === null) { return; }
      if (Array.isArray(item)) {
        item.forEach(function (entry, index) {
          if (entry !== null && typeof entry === 'object') {
            encode(entry, key + '[' + index + ']', out);
          } else {
            out.push(encodeURIComponent(key + '[' + index + ']') + '=' +
              encodeURIComponent(String(entry)));
          }
        });
      } else if (typeof item === 'object') {
        encode(item, key, out);
      } else {
        out.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(item)));
      }
    });
    return out;
  }

  function request(key, method, path, params) {
    var body = encode(Object.assign({key: key}, params), '', []).join('&');
    var url = API_BASE + path + (method === 'GET' ? '?' + body : '');
    var init = method === 'GET' ? {method: 'GET'} : {
      method: 'POST', body: body,
      headers: {'Content-Type': 'application/x-www-form-urlencoded'}
    };
    var entry = {method: method, path: path, sent: params, status: null, received: null};
    LOG.push(entry);
    return fetch(url, init).then(function (response) {
      entry.status = response.status;
      return response.json().then(function (json) {
        entry.received = json;
        return json;
      });
    }, function (failure) {
      var error = {type: 'api_connection_error',
        message: 'paykit sandbox unreachable at ' + API_BASE + ': ' + failure};
      entry.received = {error: error};
      return {error: error};
    });
  }

  // pi_..._secret_... -> pi_...
  function intentId(clientSecret, prefix, caller) {
    var match = typeof clientSecret === 'string' &&
      clientSecret.match(new RegExp('^(' + prefix + '_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$'));
    if (!match) {
      throw IntegrationError('Invalid value for ' + caller + ': clientSecret should be a ' +
        'client secret of the form ' + prefix + '_..._secret_... (got ' +
        (typeof clientSecret === 'string' ? 'another string' : typeof clientSecret) + ').');
    }
    return match[1];
  }

  var KINDS = {
    payment_intent: {path: '/v1/payment_intents/', key: 'paymentIntent', prefix: 'pi',
      lastError: 'last_payment_error', helper: '/v1/test_helpers/payment_intents/'},
    setup_intent: {path: '/v1/setup_intents/', key: 'setupIntent', prefix: 'seti',
      lastError: 'last_setup_error', helper: '/v1/test_helpers/setup_intents/'}
  };

  function resultOf(kind, json) {
    var result = {};
    if (json.error) {
      result.error = json.error;
    } else {
      result[KINDS[kind].key] = json;
    }
    return result;
  }

  // -- test-mode 3D Secure: the challenge the customer sees ----------------------------

  function challenge(intent) {
    return new Promise(function (resolve) {
      var overlay = document.createElement('div');
      overlay.id = 'paykit-3ds-challenge';
      overlay.setAttribute('role', 'dialog');
      overlay.setAttribute('aria-label', 'Test-mode 3D Secure');
      overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.45);' +
        'display:flex;align-items:center;justify-content:center;z-index:2147483647;' +
        'font-family:system-ui,sans-serif';
      var box = document.createElement('div');
      box.style.cssText = 'background:#fff;border-radius:8px;padding:24px;max-width:380px;' +
        'box-shadow:0 8px 30px rgba(0,0,0,.3)';
      var what = intent.amount != null
        ? (intent.amount / 100).toFixed(2) + ' ' + String(intent.currency).toUpperCase()
        : 'saving this card for later';
      box.innerHTML = '<p style="font-size:12px;color:#6b7280;margin:0 0 8px">' +
        'paykit learning stand-in: Stripe shows its own test page here</p>' +
        '<h2 style="margin:0 0 8px;font-size:18px">3D Secure test authentication</h2>' +
        '<p style="margin:0 0 16px">Your bank asks you to approve: <b class="paykit-3ds-what">' +
        '</b> (<code class="paykit-3ds-id"></code>).</p>' +
        '<button id="test-source-authorize-3ds" type="button" style="margin-right:8px">' +
        'Complete authentication</button>' +
        '<button id="test-source-fail-3ds" type="button">Fail authentication</button>';
      box.querySelector('.paykit-3ds-what').textContent = what;
      box.querySelector('.paykit-3ds-id').textContent = intent.id;
      overlay.appendChild(box);
      document.body.appendChild(overlay);
      function answer(success) {
        return function () {
          overlay.parentNode.removeChild(overlay);
          resolve(success);
        };
      }
      box.querySelector('#test-source-authorize-3ds').addEventListener('click', answer(true));
      box.querySelector('#test-source-fail-3ds').addEventListener('click', answer(false));
    });
  }

  // requires_action: show the challenge, tell paykit the answer, resolve as Stripe.js does.
  function authenticate(key, kind, intent, clientSecret) {
    return challenge(intent).then(function (success) {
      return request(key, 'POST', KINDS[kind].helper + intent.id + '/authenticate',
        {client_secret: clientSecret, success: success});
    }).then(function (json) {
      if (json.error) { return {error: json.error}; }
      var failure = json[KINDS[kind].lastError];
      if (json.status === 'requires_payment_method' && failure) {
        var error = Object.assign({}, failure);
        error[kind] = json;
        return {error: error};
      }
      return resultOf(kind, json);
    });
  }

  function afterConfirm(key, kind, json, clientSecret, handleActions) {
    if (json.error || json.status !== 'requires_action' || handleActions === false) {
      return resultOf(kind, json);
    }
    return authenticate(key, kind, json, clientSecret);
  }

  // -- Elements ------------------------------------------------------------------------

  var FIELDS = {
    number: {label: 'Card number', placeholder: '1234 1234 1234 1234', autocomplete: 'cc-number'},
    expiry: {label: 'Expiration', placeholder: 'MM / YY', autocomplete: 'cc-exp'},
    cvc: {label: 'CVC', placeholder: 'CVC', autocomplete: 'cc-csc'}
  };

  function formatNumber(text) {
    var digits = digitsOf(text);
    var longest = Math.max.apply(null, brandOf(digits).lengths);
    return digits.slice(0, longest).replace(/(\d{4})(?=\d)/g, '$1 ');
  }

  function formatExpiry(text) {
    var digits = digitsOf(text).slice(0, 4);
    if (digits.length === 1 && Number(digits) > 1) { digits = '0' + digits; }
    return digits.length > 2 ? digits.slice(0, 2) + ' / ' + digits.slice(2) : digits;
  }

  function Element(group, type, options) {
    this._group = group;
    this._type = type;
    this._options = options || {};
    this._handlers = {};
    this._node = null;
    this._inputs = {};
    this._touched = {};
  }

  Element.prototype.mount = function (target) {
    var node = typeof target === 'string' ? document.querySelector(target) : target;
    if (!node || !node.appendChild) {
      throw IntegrationError('element.mount(): no DOM element matches ' + String(target) + '.');
    }
    var self = this;
    var root = document.createElement('div');
    root.className = 'paykit-element paykit-element-' + this._type;
    root.setAttribute('data-paykit-element', this._type);
    var badge = document.createElement('div');
    badge.className = 'paykit-badge';
    badge.textContent = this._type === 'payment'
      ? 'Card (paykit learning stand-in for the Payment Element)'
      : 'paykit learning stand-in for the Card Element';
    badge.style.cssText = 'font-size:11px;color:#6b7280;margin-bottom:4px';
    root.appendChild(badge);
    Object.keys(FIELDS).forEach(function (name) {
      var spec = FIELDS[name];
      var input = document.createElement('input');
      input.name = name === 'number' ? 'cardnumber' : name === 'expiry' ? 'exp-date' : 'cvc';
      input.placeholder = spec.placeholder;
      input.setAttribute('aria-label', spec.label);
      input.setAttribute('autocomplete', spec.autocomplete);
      input.setAttribute('inputmode', 'numeric');
      input.style.cssText = self._type === 'payment'
        ? 'display:block;width:100%;box-sizing:border-box;margin:4px 0;padding:8px'
        : 'border:none;outline:none;padding:4px;width:' + (name === 'number' ? '55%' : '20%');
      input.addEventListener('input', function () {
        if (name === 'number') { input.value = formatNumber(input.value); }
        if (name === 'expiry') { input.value = formatExpiry(input.value); }
        self._changed();
      });
      input.addEventListener('blur', function () {
        self._touched[name] = true;
        self._changed();
        self._emit('blur', {elementType: self._type});
      });
      input.addEventListener('focus', function () {
        self._emit('focus', {elementType: self._type});
      });
      if (self._type === 'payment') {
        var label = document.createElement('label');
        label.textContent = spec.label;
        label.style.cssText = 'display:block;font-size:13px;margin-top:6px';
        label.appendChild(input);
        root.appendChild(label);
      } else {
        root.appendChild(input);
      }
      self._inputs[name] = input;
    });
    node.appendChild(root);
    this._node = root;
    setTimeout(function () { self._emit('ready', {elementType: self._type}); }, 0);
  };

  Element.prototype._problems = function () {
    var number = this._inputs.number.value;
    return {
      number: checkNumber(number),
      expiry: checkExpiry(this._inputs.expiry.value, customerToday()),
      cvc: checkCvc(this._inputs.cvc.value, brandOf(number).name)
    };
  };

  // The first problem of the form, as confirm reports it (incomplete ones included).
  Element.prototype._problem = function () {
    if (!this._node) {
      return {type: 'validation_error', code: 'element_not_mounted',
        message: 'The ' + this._type + ' Element is not mounted.'};
    }
    var problems = this._problems();
    return problems.number || problems.expiry || problems.cvc;
  };

  Element.prototype._changed = function () {
    var problems = this._problems();
    var shown = null;
    var inputs = this._inputs;
    var touched = this._touched;
    ['number', 'expiry', 'cvc'].some(function (name) {
      var found = problems[name];
      var typed = digitsOf(inputs[name].value).length > 0;
      // invalid: shown at once; incomplete: once the customer has left the field
      if (found && typed && (found.code.indexOf('incomplete') !== 0 || touched[name])) {
        shown = found;
        return true;
      }
      return false;
    });
    var empty = ['number', 'expiry', 'cvc'].every(function (name) {
      return digitsOf(inputs[name].value).length === 0;
    });
    var complete = !problems.number && !problems.expiry && !problems.cvc;
    var event = {elementType: this._type, empty: empty, complete: complete,
      error: shown || undefined, brand: brandOf(inputs.number.value).name};
    if (this._type === 'payment') { event.value = {type: 'card'}; }
    this._emit('change', event);
  };

  Element.prototype._card = function () {
    var expiry = digitsOf(this._inputs.expiry.value);
    return {number: digitsOf(this._inputs.number.value), exp_month: Number(expiry.slice(0, 2)),
      exp_year: 2000 + Number(expiry.slice(2, 4)), cvc: digitsOf(this._inputs.cvc.value)};
  };

  Element.prototype.on = function (event, handler) {
    (this._handlers[event] = this._handlers[event] || []).push(handler);
    return this;
  };
  Element.prototype.addEventListener = Element.prototype.on;
  Element.prototype.off = function (event, handler) {
    this._handlers[event] = (this._handlers[event] || []).filter(function (h) {
      return handler !== undefined && h !== handler;
    });
    return this;
  };
  Element.prototype._emit = function (event, payload) {
    (this._handlers[event] || []).slice().forEach(function (handler) { handler(payload); });
  };
  Element.prototype.unmount = function () {
    if (this._node && this._node.parentNode) { this._node.parentNode.removeChild(this._node); }
    this._node = null;
  };
  Element.prototype.destroy = function () {
    this.unmount();
    delete this._group._elements[this._type];
  };
  Element.prototype.focus = function () { if (this._node) { this._inputs.number.focus(); } };
  Element.prototype.blur = function () {
    if (document.activeElement) { document.activeElement.blur(); }
  };
  Element.prototype.clear = function () {
    var inputs = this._inputs;
    Object.keys(inputs).forEach(function (name) { inputs[name].value = ''; });
  };
  Element.prototype.update = function (options) { Object.assign(this._options, options || {}); };

  var ELEMENT_TYPES = {card: 1, payment: 1};

  function Elements(stripe, options) {
    options = options || {};
    // From 2026-09-30.endive, paymentMethodTypes in Elements options is an integration
    // error (https://docs.stripe.com/changelog/endive/2026-09-30/remove-elements-deferred-intent-payment-method-types)
    if (options.paymentMethodTypes !== undefined) {
      throw IntegrationError('stripe.elements(): paymentMethodTypes is not accepted from ' +
        'API version 2026-09-30.endive; use allowedPaymentMethodTypes.');
    }
    this._stripe = stripe;
    this._options = options;
    this._elements = {};
  }

  Elements.prototype.create = function (type, options) {
    if (!ELEMENT_TYPES[type]) {
      throw IntegrationError(STAND_IN + ' does not implement elements.create(\'' + type +
        '\'); it has the \'card\' and \'payment\' elements.');
    }
    if (this._elements[type]) {
      throw IntegrationError('elements.create(\'' + type + '\'): this Elements group ' +
        'already has one; destroy it first.');
    }
    var element = guard(new Element(this, type, options), 'element');
    this._elements[type] = element;
    return element;
  };
  Elements.prototype.getElement = function (type) { return this._elements[type] || null; };
  Elements.prototype.update = function (options) { Object.assign(this._options, options || {}); };
  Elements.prototype.submit = function () {
    var element = this._elements.payment || this._elements.card;
    var found = element ? element._problem() : {type: 'validation_error',
      code: 'no_element', message: 'No Payment Element was created in this Elements group.'};
    return Promise.resolve(found ? {error: found} : {});
  };

  // -- the stripe object -------------------------------------------------------------

  function cardData(element, billing) {
    var found = element._problem();
    if (found) { return {error: found}; }
    var data = {type: 'card', card: element._card()};
    if (billing) { data.billing_details = billing; }
    return {data: data};
  }

  function isElement(value) { return value instanceof Element || (value && value._card); }

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) { return new Stripe(publishableKey, options); }
    if (typeof publishableKey !== 'string') {
      throw IntegrationError('Invalid value for Stripe(): apiKey should be a string. You ' +
        'specified: ' + typeof publishableKey + '.');
    }
    if (publishableKey.indexOf('sk_') === 0) {
      throw IntegrationError('You should not use your secret key with Stripe.js. Please ' +
        'pass a publishable key (pk_test_...) instead.');
    }
    this._key = publishableKey;
    this._options = options || {};
    return guard(this, 'stripe');
  }

  Stripe.version = 'v3';
  Stripe.paykit = {standIn: true, apiBase: API_BASE, log: LOG,
    checks: {number: checkNumber, expiry: checkExpiry, cvc: checkCvc, brand: function (n) {
      return brandOf(n).name;
    }, luhn: luhn}};

  Stripe.prototype._registerWrapper = function () {};

  Stripe.prototype.elements = function (options) {
    return guard(new Elements(this, options), 'elements');
  };

  // confirmCardPayment / confirmCardSetup: https://docs.stripe.com/js/payment_intents/confirm_card_payment
  function confirmCard(stripe, kind, caller, clientSecret, data, options) {
    var id = intentId(clientSecret, KINDS[kind].prefix, caller);
    var params = {client_secret: clientSecret, expected_payment_method_type: 'card',
      use_stripe_sdk: true};
    var rest = Object.assign({}, data || {});
    var method = rest.payment_method;
    delete rest.payment_method;
    Object.assign(params, rest);
    if (typeof method === 'string') {
      params.payment_method = method;
    } else if (method && isElement(method.card)) {
      var built = cardData(method.card, method.billing_details);
      if (built.error) { return Promise.resolve({error: built.error}); }
      params.payment_method_data = built.data;
    } else if (method) {
      throw IntegrationError(caller + ': payment_method should be a PaymentMethod id or ' +
        '{card: cardElement, billing_details}.');
    }
    return request(stripe._key, 'POST', KINDS[kind].path + id + '/confirm', params)
      .then(function (json) {
        return afterConfirm(stripe._key, kind, json, clientSecret,
          (options || {}).handleActions);
      });
  }

  Stripe.prototype.confirmCardPayment = function (clientSecret, data, options) {
    return confirmCard(this, 'payment_intent', 'stripe.confirmCardPayment', clientSecret,
      data, options);
  };

  Stripe.prototype.confirmCardSetup = function (clientSecret, data, options) {
    return confirmCard(this, 'setup_intent', 'stripe.confirmCardSetup', clientSecret,
      data, options);
  };

  function withQuery(url, values) {
    var target = new URL(url, window.location.href);
    Object.keys(values).forEach(function (name) { target.searchParams.set(name, values[name]); });
    return target.toString();
  }

  // confirmPayment / confirmSetup: https://docs.stripe.com/js/payment_intents/confirm_payment
  // After a successful confirmation the customer goes to return_url with the intent's id,
  // its client secret and redirect_status (https://docs.stripe.com/payments/accept-a-payment).
  function confirmWithElements(stripe, kind, caller, args) {
    args = args || {};
    var elements = args.elements;
    var clientSecret = args.clientSecret || (elements && elements._options.clientSecret);
    var id = intentId(clientSecret, KINDS[kind].prefix, caller);
    var confirmParams = Object.assign({}, args.confirmParams || {});
    var redirect = args.redirect || 'always';
    if (!confirmParams.return_url && redirect !== 'if_required') {
      throw IntegrationError(caller + '(): the `confirmParams.return_url` argument is ' +
        'required unless passing `redirect: \'if_required\'`.');
    }
    var params = Object.assign({client_secret: clientSecret, use_stripe_sdk: true}, confirmParams);
    if (!params.payment_method) {
      var element = elements && (elements._elements.payment || elements._elements.card);
      if (!element) {
        throw IntegrationError(caller + '(): pass the `elements` holding a mounted ' +
          'Payment Element, or confirmParams.payment_method.');
      }
      var built = cardData(element, (confirmParams.payment_method_data || {}).billing_details);
      if (built.error) { return Promise.resolve({error: built.error}); }
      params.payment_method_data = Object.assign({}, confirmParams.payment_method_data || {},
        built.data);
      params.expected_payment_method_type = 'card';
    }
    return request(stripe._key, 'POST', KINDS[kind].path + id + '/confirm', params)
      .then(function (json) {
        return afterConfirm(stripe._key, kind, json, clientSecret, true);
      })
      .then(function (result) {
        var intent = result[KINDS[kind].key];
        if (!intent || redirect === 'if_required' || !confirmParams.return_url) {
          return result;
        }
        var query = {};
        query[kind] = intent.id;
        query[kind + '_client_secret'] = clientSecret;
        query.redirect_status = intent.status === 'requires_payment_method' ? 'failed'
          : 'succeeded';
        window.location.assign(withQuery(confirmParams.return_url, query));
        return new Promise(function () {});  // the page is going away
      });
  }

  Stripe.prototype.confirmPayment = function (args) {
    return confirmWithElements(this, 'payment_intent', 'stripe.confirmPayment', args);
  };

  Stripe.prototype.confirmSetup = function (args) {
    return confirmWithElements(this, 'setup_intent', 'stripe.confirmSetup', args);
  };

  function retrieve(stripe, kind, caller, clientSecret) {
    var id = intentId(clientSecret, KINDS[kind].prefix, caller);
    return request(stripe._key, 'GET', KINDS[kind].path + id, {client_secret: clientSecret})
      .then(function (json) { return resultOf(kind, json); });
  }

  Stripe.prototype.retrievePaymentIntent = function (clientSecret) {
    return retrieve(this, 'payment_intent', 'stripe.retrievePaymentIntent', clientSecret);
  };

  Stripe.prototype.retrieveSetupIntent = function (clientSecret) {
    return retrieve(this, 'setup_intent', 'stripe.retrieveSetupIntent', clientSecret);
  };

  // handleCardAction: "It will throw an error if the PaymentIntent has a different status"
  // than requires_action (https://docs.stripe.com/js/payment_intents/handle_card_action).
  function handleAction(stripe, kind, caller, clientSecret) {
    return retrieve(stripe, kind, caller, clientSecret).then(function (result) {
      var intent = result[KINDS[kind].key];
      if (!intent) { return result; }
      if (intent.status !== 'requires_action') {
        return {error: {type: 'invalid_request_error', code: kind + '_unexpected_state',
          message: caller + '(): the ' + kind.replace('_', ' ') + ' has status ' +
            intent.status + '; it must be requires_action.'}};
      }
      return authenticate(stripe._key, kind, intent, clientSecret);
    });
  }

  Stripe.prototype.handleCardAction = function (clientSecret) {
    return handleAction(this, 'payment_intent', 'stripe.handleCardAction', clientSecret);
  };

  Stripe.prototype.handleNextAction = function (args) {
    var secret = (args || {}).clientSecret;
    var kind = typeof secret === 'string' && secret.indexOf('seti_') === 0
      ? 'setup_intent' : 'payment_intent';
    return handleAction(this, kind, 'stripe.handleNextAction', secret);
  };

  // createPaymentMethod: https://docs.stripe.com/js/payment_methods/create_payment_method
  Stripe.prototype.createPaymentMethod = function (args) {
    args = args || {};
    var element = args.card || args.element ||
      (args.elements && (args.elements._elements.payment || args.elements._elements.card));
    var extra = args.params || {};
    if (args.type !== undefined && args.type !== 'card') {
      throw unsupported('stripe', 'createPaymentMethod({type: \'' + args.type + '\'})');
    }
    if (!isElement(element)) {
      throw IntegrationError('stripe.createPaymentMethod(): pass {type: \'card\', card: ' +
        'cardElement} or {elements}.');
    }
    var built = cardData(element, args.billing_details || extra.billing_details);
    if (built.error) { return Promise.resolve({error: built.error}); }
    var params = Object.assign({}, extra, built.data);
    return request(this._key, 'POST', '/v1/payment_methods', params).then(function (json) {
      return json.error ? {error: json.error} : {paymentMethod: json};
    });
  };

  // React's <Elements> checks that createToken is a function: it is, and says it is not here.
  Stripe.prototype.createToken = function () { throw unsupported('stripe', 'createToken'); };

  window.Stripe = Stripe;
}());
