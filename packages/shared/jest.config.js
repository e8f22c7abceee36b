module.exports = require('../../config/jest.preset')({ name: 'shared' });
