/* global document */
import { api, clearFlash, el, flash, region, renderTopNav } from './console.js';

/**
 * Amazon Bedrock, Settings: the Model invocation logging section. It shows the saved
 * configuration and saves through PutModelInvocationLoggingConfiguration, so the API's own
 * validation answers (and its error text is what the page shows).
 */

const $ = (id) => document.getElementById(id);
const DATA_TYPES = {
  text: 'textDataDeliveryEnabled',
  image: 'imageDataDeliveryEnabled',
  embedding: 'embeddingDataDeliveryEnabled',
  video: 'videoDataDeliveryEnabled',
};

let roles = [];
let account = '';

function destination() {
  return document.querySelector('input[name=destination]:checked')?.value;
}

function roleMethod() {
  return document.querySelector('input[name=role-method]:checked')?.value ?? 'existing';
}

/** Shows the parts of the form that apply to the current choices, as the console does. */
function refresh() {
  $('logging-options').hidden = !$('logging-enabled').checked;
  const dest = destination();
  $('s3-config').hidden = dest !== 's3' && dest !== 'both';
  $('cw-config').hidden = dest !== 'cloudwatch' && dest !== 'both';
}

/** "Service role name": the account's roles to choose from, or a name for the role to create. */
function renderRoleField(selectedArn) {
  const field = $('role-field');
  if (roleMethod() === 'new') {
    field.replaceChildren(
      el('label', { for: 'service-role' }, 'Service role name'),
      el('input', { type: 'text', id: 'service-role', value: `AmazonBedrockLoggingRole-${region}` }),
    );
    return;
  }
  const options = roles.map((r) =>
    el('option', { value: r.Arn, selected: r.Arn === selectedArn }, r.RoleName),
  );
  if (selectedArn && !roles.some((r) => r.Arn === selectedArn)) {
    // The configured role may have been deleted since: it is still what the configuration names.
    options.unshift(el('option', { value: selectedArn, selected: true }, selectedArn.split('/').at(-1)));
  }
  field.replaceChildren(
    el('label', { for: 'service-role' }, 'Service role name'),
    el('select', { id: 'service-role' }, el('option', { value: '' }, 'Choose a role'), options),
  );
}

function show(config) {
  $('logging-enabled').checked = !!config;
  // UNVERIFIED: the console's defaults for a first configuration (every data type ticked, S3 only).
  for (const [type, key] of Object.entries(DATA_TYPES))
    $(`type-${type}`).checked = config ? !!config[key] : true;
  const cw = config?.cloudWatchConfig;
  const s3 = config?.s3Config;
  const dest = cw && s3 ? 'both' : cw ? 'cloudwatch' : s3 ? 's3' : 's3';
  document.querySelector(`input[name=destination][value=${dest}]`).checked = true;
  $('log-group-name').value = cw?.logGroupName ?? '';
  $('s3-location').value = s3 ? `s3://${s3.bucketName}${s3.keyPrefix ? `/${s3.keyPrefix}` : ''}` : '';
  $('role-existing').checked = true;
  renderRoleField(cw?.roleArn);
  refresh();
}

function trustPolicy() {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'bedrock.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${region}:${account}:*` },
        },
      },
    ],
  });
}

function deliveryPolicy(group) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:${region}:${account}:log-group:${group}:log-stream:aws/bedrock/modelinvocations`,
      },
    ],
  });
}

/** The role to hand Bedrock: the chosen one, or a new one that trusts Bedrock and may write to the group. */
async function serviceRoleArn(group) {
  const value = $('service-role').value.trim();
  if (roleMethod() === 'existing') return value;
  const { Role } = await api('iam', 'CreateRole', {
    RoleName: value,
    AssumeRolePolicyDocument: trustPolicy(),
    Description: 'Lets Amazon Bedrock deliver model invocation logs to CloudWatch Logs.',
  });
  await api('iam', 'PutRolePolicy', {
    RoleName: value,
    PolicyName: 'BedrockInvocationLogging',
    PolicyDocument: deliveryPolicy(group),
  });
  roles.push(Role);
  return Role.Arn;
}

async function save(event) {
  event.preventDefault();
  clearFlash();
  const button = document.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    if (!$('logging-enabled').checked) {
      await api('bedrock', 'DeleteModelInvocationLoggingConfiguration');
    } else {
      const config = Object.fromEntries(
        Object.entries(DATA_TYPES).map(([type, key]) => [key, $(`type-${type}`).checked]),
      );
      const dest = destination();
      if (dest === 'cloudwatch' || dest === 'both') {
        const logGroupName = $('log-group-name').value.trim();
        config.cloudWatchConfig = { logGroupName, roleArn: await serviceRoleArn(logGroupName) };
      }
      if (dest === 's3' || dest === 'both') {
        const [bucketName, ...prefix] = $('s3-location')
          .value.trim()
          .replace(/^s3:\/\//, '')
          .split('/');
        config.s3Config = {
          bucketName,
          ...(prefix.length && prefix.join('/') && { keyPrefix: prefix.join('/') }),
        };
      }
      await api('bedrock', 'PutModelInvocationLoggingConfiguration', { loggingConfig: config });
    }
    // UNVERIFIED: the console's wording of its success flash.
    flash('success', 'Successfully saved model invocation logging settings.');
    await load();
  } catch (error) {
    flash('error', 'Failed to save model invocation logging settings.', error.message);
  } finally {
    button.disabled = false;
  }
}

async function load() {
  const [{ loggingConfig }, roleList, who] = await Promise.all([
    api('bedrock', 'GetModelInvocationLoggingConfiguration'),
    api('iam', 'ListRoles').catch(() => ({ Roles: [] })),
    api('sts', 'GetCallerIdentity'),
  ]);
  roles = roleList.Roles ?? [];
  account = who.Account;
  show(loggingConfig);
}

document.title = `Settings | Amazon Bedrock | ${region}`;
void renderTopNav();
$('logging-enabled').addEventListener('change', refresh);
for (const input of document.querySelectorAll('input[name=destination]'))
  input.addEventListener('change', refresh);
for (const input of document.querySelectorAll('input[name=role-method]')) {
  input.addEventListener('change', () => renderRoleField());
}
$('logging-form').addEventListener('submit', save);
// The form appears once it shows the saved configuration, never a default in the meantime.
load().then(
  () => {
    $('loading').remove();
    $('logging-form').hidden = false;
  },
  (error) => flash('error', 'Failed to load model invocation logging settings.', error.message),
);
