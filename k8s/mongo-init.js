// Run once by the mongo image, as the root user, on the first start of an empty
// data volume (/docker-entrypoint-initdb.d): one user per Agora service,
// allowed to read and write its own database (agora_<service>) and nothing
// else, so a service's credentials open no other service's data. Passwords
// come from the mongo container's environment (<SERVICE>_DB_PASSWORD).
// Mounted by k8s/mongo.yaml (ConfigMap mongo-init) and docker/docker-compose.yml.
/* global db -- mongosh provides it */
const services = ["catalog", "inventory", "users", "cart", "orders", "payments", "notifications"];
for (const service of services) {
  const variable = `${service.toUpperCase()}_DB_PASSWORD`;
  const password = process.env[variable];
  if (!password) throw new Error(`${variable} is not set: the ${service} service would have no database user`);
  const name = `agora_${service}`;
  db.getSiblingDB(name).createUser({ user: service, pwd: password, roles: [{ role: "readWrite", db: name }] });
}
